// "Scan": add a friend by pointing the camera at their code, by opening a picture of it,
// or by pasting their link. A scanned code makes them "verified in person", a link
// "unverified". Without a camera (or permission) the page says so and offers the rest.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts

Item {
    id: root

    required property QtObject controller
    readonly property QtObject trust: controller.trust
    readonly property QtObject scanner: trust ? trust.scanner : null
    readonly property bool narrow: width < 720
    // The outcome of the last attempt: {ok, message, kind, name}, or null.
    property var result: null

    function show(outcome) {
        result = outcome
        if (outcome.ok)
            linkField.text = ""
    }

    Binding {
        target: root.scanner
        when: root.scanner !== null
        property: "active"
        value: root.visible
    }

    Connections {
        target: root.scanner
        function onFound(text) { root.show(root.trust.addScanned(text)) }
    }

    FileDialog {
        id: imageDialog
        title: qsTr("Open a picture of a Hive code")
        nameFilters: [qsTr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp)")]
        onAccepted: root.show(root.trust.addImage(selectedFile))
    }

    CenteredColumn {
        anchors.fill: parent
        maxWidth: root.narrow ? 520 : 960
        centerVertically: false

        GridLayout {
            Layout.fillWidth: true
            columns: root.narrow ? 1 : 2
            columnSpacing: 32
            rowSpacing: 16

            // Camera, or a clear message why there is none.
            Item {
                Layout.fillWidth: root.narrow
                Layout.preferredWidth: root.narrow ? -1 : 440
                Layout.preferredHeight: root.narrow ? 300 : 380
                Layout.alignment: Qt.AlignTop

                Loader {
                    id: cameraLoader
                    anchors.fill: parent
                    active: !!root.scanner && root.scanner.hasCamera && root.visible
                    source: "CameraView.qml"
                    onLoaded: item.scanner = root.scanner
                }

                Card {
                    objectName: "noCamera"
                    anchors.fill: parent
                    visible: !cameraLoader.active || cameraLoader.status === Loader.Error
                             || (cameraLoader.item && cameraLoader.item.problem.length > 0)
                    ColumnLayout {
                        anchors.centerIn: parent
                        width: parent.width - 16
                        spacing: 12
                        // A drawn camera (no emoji font is guaranteed).
                        Item {
                            Layout.alignment: Qt.AlignHCenter
                            implicitWidth: 64
                            implicitHeight: 48
                            opacity: 0.45
                            Rectangle {
                                x: 20; y: 0; width: 24; height: 10; radius: 3
                                color: root.Material.foreground
                            }
                            Rectangle {
                                y: 6; width: 64; height: 42; radius: 8
                                color: root.Material.foreground
                                Rectangle {
                                    anchors.centerIn: parent
                                    width: 26; height: 26; radius: 13
                                    color: root.Material.background
                                    border.color: root.Material.foreground
                                    border.width: 4
                                }
                            }
                        }
                        Label {
                            Layout.fillWidth: true
                            horizontalAlignment: Text.AlignHCenter
                            font.pixelSize: 18
                            font.bold: true
                            wrapMode: Text.WordWrap
                            text: cameraLoader.item && cameraLoader.item.problem.length > 0
                                  ? qsTr("The camera cannot be used")
                                  : qsTr("No camera found")
                        }
                        Label {
                            Layout.fillWidth: true
                            horizontalAlignment: Text.AlignHCenter
                            wrapMode: Text.WordWrap
                            color: root.Material.secondaryTextColor
                            text: cameraLoader.item && cameraLoader.item.problem.length > 0
                                  ? qsTr("Hive may not have permission to use it, or another app is using it (%1).").arg(cameraLoader.item.problem)
                                  : qsTr("This device has no camera Hive can use. Open a picture of your friend's code instead, or paste the link they sent you.")
                        }
                    }
                }
            }

            ColumnLayout {
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignTop
                spacing: 12

                Label {
                    Layout.fillWidth: true
                    text: qsTr("Add a friend")
                    font.pixelSize: 22
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: qsTr("Point the camera at the code on your friend's My code page. Scanning it in person verifies them.")
                }

                // The outcome of the last scan, picture or link.
                Rectangle {
                    objectName: "scanResult"
                    Layout.fillWidth: true
                    visible: root.result !== null
                    implicitHeight: resultLabel.implicitHeight + 24
                    radius: 8
                    readonly property color tone: root.result && root.result.ok ? root.Material.color(Material.Green, Material.Shade700)
                                                 : root.Material.color(Material.Red)
                    color: Qt.rgba(tone.r, tone.g, tone.b, 0.12)
                    border.color: tone
                    Label {
                        id: resultLabel
                        anchors.fill: parent
                        anchors.margins: 12
                        wrapMode: Text.WordWrap
                        color: parent.tone
                        text: root.result ? root.result.message : ""
                    }
                }

                Button {
                    objectName: "openImage"
                    Layout.topMargin: 4
                    text: qsTr("Open image…")
                    enabled: !!root.trust
                    onClicked: imageDialog.open()
                }

                Label {
                    Layout.topMargin: 12
                    text: qsTr("Paste link")
                    font.bold: true
                }
                RowLayout {
                    Layout.fillWidth: true
                    TextField {
                        id: linkField
                        objectName: "linkField"
                        Layout.fillWidth: true
                        placeholderText: "hive:…"
                        inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhUrlCharactersOnly
                        onAccepted: addButton.clicked()
                    }
                    Button {
                        id: addButton
                        text: qsTr("Add")
                        highlighted: true
                        enabled: !!root.trust && linkField.text.trim().length > 0
                        onClicked: root.show(root.trust.addLink(linkField.text))
                    }
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    font.pixelSize: 12
                    color: root.Material.secondaryTextColor
                    text: qsTr("People added from a link are unverified until you compare safety numbers with them.")
                }
            }
        }
    }
}
