// The resources plugin's page: what resources will do and how the plugin is doing now.
// One column below 600 px (phones), two columns of feature cards on wider windows.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Page {
    id: page
    objectName: "resourcesPage"

    // The plugin's QObject, set by the shell (see core/plugin/plugin.h); null in previews.
    property QtObject plugin: null
    readonly property bool narrow: width < 600

    title: qsTr("Resources")

    readonly property var features: [
        { title: qsTr("Share a part of your node"),
          text: qsTr("Give a friend a share of your node, for example 20% of its storage, CPU and bandwidth.") },
        { title: qsTr("Re-sharing with limits"),
          text: qsTr("Friends may pass part of a grant on to their friends, never more than they received and never for longer.") },
        { title: qsTr("Checked by the node itself"),
          text: qsTr("Nodes verify grants offline with their owner's key; you can revoke a grant at any time.") },
        { title: qsTr("Run computation"),
          text: qsTr("Run small jobs on the nodes you may use, balanced across them and limited to their budget.") }
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
                text: qsTr("Resources")
                font.pixelSize: 26
                font.bold: true
                wrapMode: Text.WordWrap
            }

            Label {
                Layout.fillWidth: true
                text: qsTr("Share what your nodes can do — storage, computing time and bandwidth — with friends, and use what they share with you.")
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
