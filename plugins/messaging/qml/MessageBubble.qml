// One message in the conversation: own messages right in the accent colour, theirs left;
// the sender's name in groups, an attachment row (image preview or file with progress; a
// received image shows the sender's small preview until the file is here; a failed
// transfer offers a retry),
// the time, the delivery state (… pending, ✓ sent, ✓✓ delivered, blue ✓✓ read, ! failed)
// and a timer mark on disappearing messages.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Item {
    id: bubble

    property bool outgoing: false
    property bool showSender: false
    property string senderName: ""
    property string text: ""
    property string timeText: ""
    property string deliveryState: "sent"
    property string stateMark: ""
    property string stateText: ""
    property bool hasAttachment: false
    property string fileName: ""
    property string sizeText: ""
    property real progress: 0
    property url localUrl
    property bool isImage: false
    // The sender's preview as a data URL, shown until localUrl is set; empty if none.
    property string thumbnail: ""
    property bool transferFailed: false
    property bool disappearing: false

    // The person tapped the failed transfer's notice.
    signal retryRequested()

    readonly property bool hasLocalFile: localUrl.toString().length > 0

    readonly property bool dark: Material.theme === Material.Dark
    readonly property color fill: outgoing ? (dark ? "#5a3a1c" : "#ffe3c4") : (dark ? "#2f2b28" : "#ffffff")
    readonly property real maxWidth: Math.min(width * 0.78, 560)

    implicitHeight: frame.height + 4
    Accessible.role: Accessible.StaticText
    Accessible.name: (outgoing ? qsTr("You") : senderName) + ": " + text + (hasAttachment ? " " + fileName : "")
                     + ", " + timeText + (outgoing ? ", " + stateText : "")

    Rectangle {
        id: frame
        anchors.right: bubble.outgoing ? parent.right : undefined
        anchors.left: bubble.outgoing ? undefined : parent.left
        width: Math.min(bubble.maxWidth, Math.max(column.implicitWidth, 80) + 24)
        height: column.implicitHeight + 16
        radius: 12
        color: bubble.fill
        border.width: bubble.outgoing ? 0 : 1
        border.color: bubble.Material.dividerColor

        ColumnLayout {
            id: column
            x: 12
            y: 8
            width: frame.width - 24
            spacing: 4

            Label {
                visible: bubble.showSender && !bubble.outgoing && bubble.senderName.length > 0
                Layout.fillWidth: true
                text: bubble.senderName
                font.bold: true
                font.pixelSize: 13
                color: bubble.Material.accent
                elide: Text.ElideRight
            }

            Item {
                id: preview
                objectName: "imagePreview"
                visible: bubble.hasAttachment && bubble.isImage && (bubble.hasLocalFile || bubble.thumbnail.length > 0)
                // The preview has the full image's aspect ratio, so the box keeps its size
                // when the full image replaces it.
                readonly property real aspect: full.status === Image.Ready && full.implicitWidth > 0
                                               ? full.implicitHeight / full.implicitWidth
                                               : thumb.status === Image.Ready && thumb.implicitWidth > 0
                                                 ? thumb.implicitHeight / thumb.implicitWidth : 0
                Layout.preferredWidth: visible ? Math.min(bubble.maxWidth - 24, 280) : 0
                Layout.preferredHeight: visible ? (aspect > 0 ? Layout.preferredWidth * aspect : 160) : 0
                Accessible.role: Accessible.Graphic
                Accessible.name: qsTr("Image %1").arg(bubble.fileName)

                Image {
                    id: thumb
                    objectName: "imageThumbnail"
                    anchors.fill: parent
                    // Stays under the full image until that one has loaded (no blank flash).
                    visible: full.status !== Image.Ready
                    source: preview.visible ? bubble.thumbnail : ""
                    // Each preview is shown by one bubble only: keeping the decoded images in
                    // the engine's shared cache (keyed by the whole data URL) gains nothing.
                    cache: false
                    fillMode: Image.PreserveAspectFit
                }
                Image {
                    id: full
                    anchors.fill: parent
                    source: preview.visible && bubble.hasLocalFile ? bubble.localUrl : ""
                    // Not kept in the shared cache either: a delegate scrolled back in decodes
                    // it again while the preview under it holds the box's size.
                    cache: false
                    fillMode: Image.PreserveAspectFit
                    asynchronous: true
                    sourceSize.width: 560
                }
                Rectangle {
                    // The download's progress over the preview while the file is on its way.
                    visible: !bubble.hasLocalFile && bubble.progress > 0 && bubble.progress < 1 && !bubble.transferFailed
                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.bottom: parent.bottom
                    height: 14
                    color: "#80000000"
                    ProgressBar {
                        objectName: "previewProgress"
                        anchors.fill: parent
                        anchors.margins: 4
                        value: bubble.progress
                        Accessible.name: qsTr("Transfer of %1").arg(bubble.fileName)
                    }
                }
                TapHandler {
                    enabled: bubble.transferFailed
                    onTapped: bubble.retryRequested()
                }
            }

            RowLayout {
                objectName: "attachmentRow"
                visible: bubble.hasAttachment
                Layout.fillWidth: true
                spacing: 8
                Rectangle {
                    Layout.preferredWidth: 36
                    Layout.preferredHeight: 36
                    radius: 6
                    color: bubble.Material.primary
                    Label {
                        anchors.centerIn: parent
                        // The file's extension stands in for an icon ("PDF", "ZIP").
                        text: {
                            const dot = bubble.fileName.lastIndexOf(".")
                            return dot > 0 ? bubble.fileName.slice(dot + 1, dot + 4).toUpperCase() : "…"
                        }
                        font.pixelSize: 10
                        font.bold: true
                        color: "#ffffff"
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Label {
                        Layout.fillWidth: true
                        text: bubble.fileName
                        elide: Text.ElideMiddle
                    }
                    Label {
                        Layout.fillWidth: true
                        text: bubble.progress < 1 && bubble.progress > 0 && !bubble.transferFailed
                              //: %1 is a percentage, %2 the file size ("2.4 MB").
                              ? qsTr("%1% of %2").arg(Math.round(bubble.progress * 100)).arg(bubble.sizeText)
                              : bubble.sizeText
                        font.pixelSize: 12
                        color: bubble.Material.secondaryTextColor
                    }
                    ProgressBar {
                        objectName: "transferProgress"
                        // An image's preview shows the progress over itself.
                        visible: bubble.progress > 0 && bubble.progress < 1 && !preview.visible && !bubble.transferFailed
                        Layout.fillWidth: true
                        value: bubble.progress
                        Accessible.name: qsTr("Transfer of %1").arg(bubble.fileName)
                    }
                    Label {
                        objectName: "transferFailed"
                        visible: bubble.transferFailed
                        Layout.fillWidth: true
                        text: bubble.outgoing ? qsTr("Upload failed — tap to retry") : qsTr("Download failed — tap to retry")
                        wrapMode: Text.Wrap
                        font.pixelSize: 12
                        color: bubble.Material.color(Material.Red)
                        Accessible.role: Accessible.Button
                        Accessible.name: text
                        Accessible.onPressAction: bubble.retryRequested()
                        TapHandler {
                            onTapped: bubble.retryRequested()
                        }
                    }
                }
            }

            Label {
                // A file sent alone carries its name as text; the attachment row shows it.
                visible: bubble.text.length > 0 && !(bubble.hasAttachment && bubble.text === bubble.fileName)
                Layout.fillWidth: true
                text: bubble.text
                wrapMode: Text.Wrap
                textFormat: Text.PlainText
                font.pixelSize: 15
            }

            RowLayout {
                Layout.alignment: Qt.AlignRight
                spacing: 4
                Label {
                    visible: bubble.disappearing
                    text: "◷"
                    font.pixelSize: 11
                    color: bubble.Material.secondaryTextColor
                    Accessible.name: qsTr("Disappears")
                }
                Label {
                    text: bubble.timeText
                    font.pixelSize: 11
                    color: bubble.Material.secondaryTextColor
                }
                Label {
                    objectName: "stateMark"
                    visible: bubble.outgoing
                    text: bubble.stateMark
                    font.pixelSize: 11
                    font.bold: bubble.deliveryState === "read"
                    // A lighter blue on the dark theme's brown bubble, where #2a7de1 is too dim.
                    color: bubble.deliveryState === "read" ? (bubble.dark ? "#8cc4ff" : "#2a7de1")
                         : bubble.deliveryState === "failed" ? bubble.Material.color(Material.Red)
                         : bubble.Material.secondaryTextColor
                    Accessible.name: bubble.stateText
                }
            }
        }
    }
}
