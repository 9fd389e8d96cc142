// "Me": who this profile is (name, fingerprint, how it is protected) and how each plugin
// is doing.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Item {
    id: root

    required property QtObject controller

    signal openRequested(string page)

    CenteredColumn {
        anchors.fill: parent
        maxWidth: 640
        centerVertically: false

        Card {
            Layout.fillWidth: true

            RowLayout {
                anchors.fill: parent
                spacing: 20

                Rectangle {
                    Layout.alignment: Qt.AlignTop
                    Layout.preferredWidth: 72
                    Layout.preferredHeight: 72
                    radius: 36
                    color: root.Material.accent
                    Label {
                        anchors.centerIn: parent
                        text: root.controller.displayName.length > 0
                              ? root.controller.displayName[0].toUpperCase() : "?"
                        font.pixelSize: 32
                        font.bold: true
                        color: root.Material.theme === Material.Dark ? "#000000" : "#ffffff"
                    }
                }

                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 6

                    Label {
                        objectName: "displayName"
                        Layout.fillWidth: true
                        visible: !nameEditor.visible
                        text: root.controller.displayName
                        font.pixelSize: 24
                        font.bold: true
                        wrapMode: Text.Wrap
                    }
                    RowLayout {
                        id: nameEditor
                        Layout.fillWidth: true
                        visible: false
                        TextField {
                            id: nameField
                            Layout.fillWidth: true
                            maximumLength: 64
                            placeholderText: qsTr("Your name")
                            onAccepted: saveButton.clicked()
                        }
                        Button {
                            id: saveButton
                            text: qsTr("Save")
                            highlighted: true
                            enabled: nameField.text.trim().length > 0
                            onClicked: {
                                if (root.controller.setDisplayName(nameField.text.trim()))
                                    nameEditor.visible = false
                            }
                        }
                        Button {
                            flat: true
                            text: qsTr("Cancel")
                            onClicked: nameEditor.visible = false
                        }
                    }

                    Label {
                        Layout.topMargin: 8
                        text: qsTr("Fingerprint")
                        font.pixelSize: 12
                        font.bold: true
                        color: root.Material.secondaryTextColor
                    }
                    Label {
                        objectName: "fingerprint"
                        Layout.fillWidth: true
                        text: root.controller.fingerprint
                        font.family: "DejaVu Sans Mono"
                        font.pixelSize: 15
                        wrapMode: Text.WrapAnywhere
                    }
                    Label {
                        Layout.fillWidth: true
                        wrapMode: Text.WordWrap
                        font.pixelSize: 12
                        color: root.Material.secondaryTextColor
                        text: qsTr("Friends compare this with what their Hive shows to be sure they are talking to you.")
                    }
                    Button {
                        Layout.leftMargin: -8
                        visible: !nameEditor.visible
                        flat: true
                        text: qsTr("Edit name")
                        onClicked: {
                            nameField.text = root.controller.displayName
                            nameEditor.visible = true
                            nameField.forceActiveFocus()
                        }
                    }
                }
            }
        }

        Card {
            Layout.fillWidth: true

            ColumnLayout {
                anchors.fill: parent
                spacing: 6
                Label {
                    text: qsTr("Protection")
                    font.bold: true
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: root.controller.keyProtection === "keychain"
                          ? qsTr("Your data is encrypted; the key is kept in the system keychain.")
                          : qsTr("Your data is encrypted with a key derived from your passphrase.")
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.WrapAnywhere
                    font.pixelSize: 12
                    color: root.Material.secondaryTextColor
                    text: qsTr("Profile: %1").arg(root.controller.profileDirectory)
                }
            }
        }

        Label {
            Layout.topMargin: 8
            text: qsTr("Plugins")
            font.bold: true
        }
        Repeater {
            model: root.controller.plugins
            Card {
                required property var model
                Layout.fillWidth: true
                padding: 0

                ItemDelegate {
                    id: pluginEntry
                    anchors.fill: parent
                    // A plain hover fill instead of Material's ripple, which the software
                    // renderer draws unclipped (see Card.qml).
                    background: Rectangle {
                        radius: 8
                        color: pluginEntry.down ? root.Material.rippleColor
                             : pluginEntry.hovered ? Qt.rgba(0.5, 0.5, 0.5, 0.08) : "transparent"
                    }
                    implicitHeight: row.implicitHeight + 24
                    onClicked: root.openRequested(model.id)
                    contentItem: RowLayout {
                        id: row
                        spacing: 12
                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: 2
                            Label {
                                Layout.fillWidth: true
                                text: model.name + " " + model.version
                                font.bold: true
                                elide: Text.ElideRight
                            }
                            Label {
                                Layout.fillWidth: true
                                text: model.state === 1 ? model.statusText : model.error
                                visible: text.length > 0
                                wrapMode: Text.WordWrap
                                font.pixelSize: 12
                                color: model.state === 1 ? root.Material.secondaryTextColor
                                                         : root.Material.color(Material.Red)
                            }
                        }
                        Label {
                            text: model.stateText
                            font.pixelSize: 12
                            font.bold: true
                            color: model.state === 1 ? root.Material.color(Material.Green)
                                 : model.state === 2 || model.state === 3 ? root.Material.color(Material.Red)
                                 : root.Material.secondaryTextColor
                        }
                    }
                }
            }
        }
    }
}
