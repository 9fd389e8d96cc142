// The messaging plugin's page: what messaging will do and how the plugin is doing now.
// One column below 600 px (phones), two columns of feature cards on wider windows.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Page {
    id: page
    objectName: "messagingPage"

    // The plugin's QObject, set by the shell (see core/plugin/plugin.h); null in previews.
    property QtObject plugin: null
    readonly property bool narrow: width < 600

    title: qsTr("Messaging")

    readonly property var features: [
        { title: qsTr("Chats with verified friends"),
          text: qsTr("Write to the friends whose QR code you scanned. Every message is end-to-end encrypted with the Signal protocol.") },
        { title: qsTr("Delivery while you are offline"),
          text: qsTr("Messages wait, sealed, on your friend's personal node until one of their devices fetches them.") },
        { title: qsTr("Groups and attachments"),
          text: qsTr("Group chats use sender keys; photos and files travel as encrypted objects.") },
        { title: qsTr("Receipts and disappearing messages"),
          text: qsTr("See when a message arrived and was read, and let chats delete themselves after a time you choose.") }
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
                text: qsTr("Messaging")
                font.pixelSize: 26
                font.bold: true
                wrapMode: Text.WordWrap
            }

            Label {
                Layout.fillWidth: true
                text: qsTr("Private conversations with the people you have met and verified. Nobody in between — not your node, not your friend's node — can read them.")
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
