// The presence plugin's page: what presence will do and how the plugin is doing now.
// One column below 600 px (phones), two columns of feature cards on wider windows.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Page {
    id: page
    objectName: "presencePage"

    // The plugin's QObject, set by the shell (see core/plugin/plugin.h); null in previews.
    property QtObject plugin: null
    readonly property bool narrow: width < 600

    title: qsTr("Presence")

    readonly property var features: [
        { title: qsTr("Who sees you"),
          text: qsTr("Choose per friend whether they see that you are online, and whether they see your position.") },
        { title: qsTr("Precision you choose"),
          text: qsTr("Share your exact position, about a kilometre, or only your city, separately for each friend.") },
        { title: qsTr("Always time-limited"),
          text: qsTr("Sharing ends after 15 minutes, an hour, or when you stop it; nothing is shared forever by accident.") },
        { title: qsTr("Private on the way"),
          text: qsTr("Positions are encrypted on your device; nodes and relays pass them on without being able to read them.") }
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
                text: qsTr("Presence")
                font.pixelSize: 26
                font.bold: true
                wrapMode: Text.WordWrap
            }

            Label {
                Layout.fillWidth: true
                text: qsTr("Let chosen friends see that you are around and, if you want, where you are — as precisely and for as long as you decide.")
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
