// Settings: language and theme (applied at once), the personal node, the passphrase, and
// what this is.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Item {
    id: root

    required property QtObject controller

    CenteredColumn {
        anchors.fill: parent
        maxWidth: 640
        centerVertically: false

        Card {
            Layout.fillWidth: true

            GridLayout {
                anchors.fill: parent
                columns: root.width < 480 ? 1 : 2
                columnSpacing: 16
                rowSpacing: 8

                Label {
                    Layout.columnSpan: parent.columns
                    text: qsTr("Appearance")
                    font.bold: true
                    font.pixelSize: 16
                }
                Label { text: qsTr("Language") }
                LanguageSelector {
                    objectName: "languageSelector"
                    Layout.fillWidth: true
                    controller: root.controller
                }
                Label { text: qsTr("Theme") }
                ThemeSelector {
                    objectName: "themeSelector"
                    Layout.fillWidth: true
                    controller: root.controller
                }
            }
        }

        NodeSettings {
            objectName: "nodeSettings"
            controller: root.controller
        }

        Card {
            Layout.fillWidth: true

            ColumnLayout {
                id: security
                anchors.fill: parent
                spacing: 8

                property string message: ""
                property bool failed: false
                readonly property bool newOk: newPassphrase.text.length >= 8
                                              && newPassphrase.text === confirmPassphrase.text
                readonly property bool passphraseProfile: root.controller.keyProtection === "passphrase"

                function change() {
                    if (!newOk || oldPassphrase.text.length === 0 || root.controller.busy)
                        return
                    const error = root.controller.changePassphrase(oldPassphrase.text, newPassphrase.text)
                    failed = error.length > 0
                    message = error
                }

                Connections {
                    target: root.controller
                    function onPassphraseChangeFinished(error) {
                        security.failed = error.length > 0
                        security.message = security.failed ? error : qsTr("Your passphrase has been changed.")
                        if (!security.failed) {
                            oldPassphrase.clear()
                            newPassphrase.clear()
                            confirmPassphrase.clear()
                        }
                    }
                }

                Label {
                    text: qsTr("Security")
                    font.bold: true
                    font.pixelSize: 16
                }
                Label {
                    Layout.fillWidth: true
                    visible: !security.passphraseProfile
                    wrapMode: Text.WordWrap
                    text: qsTr("The key of this profile is kept in the system keychain, so there is no passphrase to change.")
                }
                Label {
                    visible: security.passphraseProfile
                    text: qsTr("Change passphrase")
                }
                TextField {
                    id: oldPassphrase
                    objectName: "oldPassphrase"
                    Layout.fillWidth: true
                    visible: security.passphraseProfile
                    echoMode: TextInput.Password
                    placeholderText: qsTr("Current passphrase")
                    onAccepted: newPassphrase.forceActiveFocus()
                }
                TextField {
                    id: newPassphrase
                    objectName: "newPassphrase"
                    Layout.fillWidth: true
                    visible: security.passphraseProfile
                    echoMode: TextInput.Password
                    placeholderText: qsTr("New passphrase")
                    onAccepted: confirmPassphrase.forceActiveFocus()
                }
                PassphraseStrength {
                    Layout.fillWidth: true
                    visible: security.passphraseProfile
                    passphrase: newPassphrase.text
                }
                TextField {
                    id: confirmPassphrase
                    objectName: "confirmPassphrase"
                    Layout.fillWidth: true
                    visible: security.passphraseProfile
                    echoMode: TextInput.Password
                    placeholderText: qsTr("Repeat the new passphrase")
                    onAccepted: security.change()
                }
                Label {
                    Layout.fillWidth: true
                    visible: security.passphraseProfile && confirmPassphrase.text.length > 0
                             && confirmPassphrase.text !== newPassphrase.text
                    wrapMode: Text.WordWrap
                    color: root.Material.color(Material.Red)
                    text: qsTr("The two passphrases do not match.")
                }
                Label {
                    objectName: "passphraseMessage"
                    Layout.fillWidth: true
                    visible: security.message.length > 0
                    wrapMode: Text.WordWrap
                    color: security.failed ? root.Material.color(Material.Red) : root.Material.color(Material.Green)
                    text: security.message
                }
                BusyIndicator {
                    visible: security.passphraseProfile && root.controller.busy
                    running: visible
                }
                Button {
                    objectName: "changePassphraseButton"
                    visible: security.passphraseProfile
                    highlighted: true
                    enabled: security.newOk && oldPassphrase.text.length > 0 && !root.controller.busy
                    text: qsTr("Change passphrase")
                    onClicked: security.change()
                }
            }
        }

        Card {
            Layout.fillWidth: true

            ColumnLayout {
                anchors.fill: parent
                spacing: 6
                Label {
                    text: qsTr("About")
                    font.bold: true
                    font.pixelSize: 16
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    //: %1 is a version number such as 0.1.0.
                    text: qsTr("Hive %1 — your messages, places and backups, shared only with people you trust.")
                          .arg(root.controller.version)
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
    }
}
