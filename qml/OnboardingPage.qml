// First run: choose a display name and how the vault key is protected, then create the
// profile. Where no system keychain can be reached only the passphrase is offered.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Page {
    id: page

    required property QtObject controller

    readonly property string currentPage: "onboarding"
    readonly property string heading: qsTr("Welcome to Hive")
    readonly property bool keychainAvailable: controller.keychainAvailable
    readonly property bool useKeychain: keychainAvailable && keychainChoice.checked
    readonly property bool passphraseOk: passphrase.text.length >= 8 && passphrase.text === confirm.text
    readonly property bool canCreate: nameField.text.trim().length > 0
                                      && (useKeychain || passphraseOk) && !controller.busy

    function create() {
        if (!canCreate)
            return
        controller.createProfile(nameField.text.trim(), useKeychain ? "keychain" : "passphrase",
                                 useKeychain ? "" : passphrase.text)
    }

    LanguageSelector {
        controller: page.controller
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: 12
        z: 1
    }

    CenteredColumn {
        anchors.fill: parent
        maxWidth: 460

        HiveLogo {
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: 72
            Layout.preferredHeight: 72
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: 26
            font.bold: true
            wrapMode: Text.WordWrap
            text: page.heading
        }
        Label {
            Layout.fillWidth: true
            Layout.bottomMargin: 8
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            color: page.Material.secondaryTextColor
            text: qsTr("Hive keeps your messages, places and backups between you and the people you trust. "
                       + "Everything is stored encrypted on this device.")
        }

        Label {
            text: qsTr("Your name")
            font.bold: true
        }
        TextField {
            id: nameField
            objectName: "nameField"
            Layout.fillWidth: true
            placeholderText: qsTr("How friends will see you")
            maximumLength: 64
            focus: true
            onAccepted: page.create()
        }

        Label {
            Layout.topMargin: 8
            text: qsTr("Protect your data")
            font.bold: true
        }
        ButtonGroup { id: protection }
        RadioButton {
            id: keychainChoice
            objectName: "keychainChoice"
            Layout.fillWidth: true
            ButtonGroup.group: protection
            enabled: page.keychainAvailable
            checked: page.keychainAvailable
            text: qsTr("Keep the key in the system keychain")
        }
        Label {
            Layout.fillWidth: true
            Layout.leftMargin: 40
            visible: !page.keychainAvailable
            wrapMode: Text.WordWrap
            font.pixelSize: 12
            color: page.Material.secondaryTextColor
            text: qsTr("No system keychain can be reached on this computer, so Hive protects your data with a passphrase.")
        }
        RadioButton {
            id: passphraseChoice
            objectName: "passphraseChoice"
            Layout.fillWidth: true
            ButtonGroup.group: protection
            checked: !page.keychainAvailable
            text: qsTr("Protect with a passphrase")
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 40
            visible: !page.useKeychain
            spacing: 8

            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                font.pixelSize: 12
                color: page.Material.secondaryTextColor
                text: qsTr("You will type it each time Hive starts. Nobody can recover it for you.")
            }
            TextField {
                id: passphrase
                objectName: "passphraseField"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                placeholderText: qsTr("Passphrase")
                onAccepted: confirm.forceActiveFocus()
            }
            PassphraseStrength {
                Layout.fillWidth: true
                passphrase: passphrase.text
            }
            TextField {
                id: confirm
                objectName: "confirmField"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                placeholderText: qsTr("Repeat the passphrase")
                onAccepted: page.create()
            }
            Label {
                Layout.fillWidth: true
                visible: confirm.text.length > 0 && confirm.text !== passphrase.text
                wrapMode: Text.WordWrap
                color: page.Material.color(Material.Red)
                text: qsTr("The two passphrases do not match.")
            }
        }

        Label {
            Layout.fillWidth: true
            visible: page.controller.errorText.length > 0
            wrapMode: Text.WordWrap
            color: page.Material.color(Material.Red)
            text: page.controller.errorText
        }

        Button {
            objectName: "createButton"
            Layout.alignment: Qt.AlignHCenter
            Layout.topMargin: 8
            highlighted: true
            enabled: page.canCreate
            text: qsTr("Create my profile")
            onClicked: page.create()
        }
        BusyIndicator {
            Layout.alignment: Qt.AlignHCenter
            visible: running
            running: page.controller.busy
        }
    }
}
