// The backup plugin's page: what backup will do and how the plugin is doing now.
// One column below 600 px (phones), two columns of feature cards on wider windows.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Page {
    id: page
    objectName: "backupPage"

    // The plugin's QObject, set by the shell (see core/plugin/plugin.h); null in previews.
    property QtObject plugin: null
    readonly property bool narrow: width < 600

    title: qsTr("Backup")

    readonly property var features: [
        { title: qsTr("Choose where"),
          text: qsTr("Pick friends' devices or nodes as backup targets, within the space they granted you.") },
        { title: qsTr("Encrypted before it leaves"),
          text: qsTr("Files are chunked, compressed, deduplicated and encrypted on this device before anything is sent.") },
        { title: qsTr("Spread over friends"),
          text: qsTr("Copies or shares go to several friends, so losing one friend or one node loses nothing.") },
        { title: qsTr("Restore, verify, prune"),
          text: qsTr("Restore any snapshot, check that backups are intact, remove old ones; an interrupted backup resumes.") }
    ]

    ScrollView {
        id: scroll
        anchors.fill: parent
        contentWidth: availableWidth
        contentHeight: content.implicitHeight + 2 * content.margin

        ColumnLayout {
            id: content
            objectName: "content"
            readonly property real margin: page.narrow ? 16 : 32
            width: Math.min(scroll.availableWidth - 2 * margin, 760)
            x: Math.max(margin, (scroll.availableWidth - width) / 2)
            y: margin
            spacing: 16

            Label {
                Layout.fillWidth: true
                text: qsTr("Backup")
                font.pixelSize: 26
                font.bold: true
                wrapMode: Text.WordWrap
            }

            Label {
                Layout.fillWidth: true
                text: qsTr("Keep your data safe on the devices and nodes of friends you trust, encrypted with your key so that only you can read it.")
                wrapMode: Text.WordWrap
            }

            Frame {
                Layout.fillWidth: true

                ColumnLayout {
                    anchors.left: parent.left
                    anchors.right: parent.right
                    spacing: 4

                    Label {
                        Layout.fillWidth: true
                        text: qsTr("Status")
                        font.bold: true
                        wrapMode: Text.WordWrap
                    }
                    Label {
                        objectName: "statusText"
                        Layout.fillWidth: true
                        text: page.plugin ? page.plugin.statusText : qsTr("The plugin is not connected.")
                        wrapMode: Text.WordWrap
                    }
                }
            }

            Label {
                Layout.fillWidth: true
                Layout.topMargin: 8
                text: qsTr("Coming in later releases")
                font.pixelSize: 18
                font.bold: true
                wrapMode: Text.WordWrap
            }

            GridLayout {
                objectName: "features"
                Layout.fillWidth: true
                columns: page.narrow ? 1 : 2
                columnSpacing: 16
                rowSpacing: 16

                Repeater {
                    model: page.features

                    Frame {
                        id: card
                        required property var modelData
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        // Equal preferred widths give equal columns whatever the text length.
                        Layout.preferredWidth: 100

                        ColumnLayout {
                            anchors.left: parent.left
                            anchors.right: parent.right
                            spacing: 4

                            Label {
                                Layout.fillWidth: true
                                text: card.modelData.title
                                font.bold: true
                                wrapMode: Text.WordWrap
                            }
                            Label {
                                Layout.fillWidth: true
                                text: card.modelData.text
                                wrapMode: Text.WordWrap
                                opacity: 0.8
                            }
                        }
                    }
                }
            }
        }
    }
}
