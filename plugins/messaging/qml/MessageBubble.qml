// One message in the conversation: own messages right in the accent colour, theirs left;
// the sender's name in groups, an attachment row (image preview or file with progress),
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
    property bool disappearing: false

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

            Image {
                id: preview
                objectName: "imagePreview"
                visible: bubble.hasAttachment && bubble.isImage && bubble.localUrl.toString().length > 0
                Layout.preferredWidth: visible ? Math.min(bubble.maxWidth - 24, 280) : 0
                Layout.preferredHeight: visible ? (status === Image.Ready && implicitWidth > 0
                                                   ? Layout.preferredWidth * implicitHeight / implicitWidth : 160) : 0
                source: visible ? bubble.localUrl : ""
                fillMode: Image.PreserveAspectFit
                asynchronous: true
                sourceSize.width: 560
                Accessible.name: qsTr("Image %1").arg(bubble.fileName)
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
                        text: bubble.progress < 1 && bubble.progress > 0
                              //: %1 is a percentage, %2 the file size ("2.4 MB").
                              ? qsTr("%1% of %2").arg(Math.round(bubble.progress * 100)).arg(bubble.sizeText)
                              : bubble.sizeText
                        font.pixelSize: 12
                        color: bubble.Material.secondaryTextColor
                    }
                    ProgressBar {
                        objectName: "transferProgress"
                        visible: bubble.progress > 0 && bubble.progress < 1
                        Layout.fillWidth: true
                        value: bubble.progress
                        Accessible.name: qsTr("Transfer of %1").arg(bubble.fileName)
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
