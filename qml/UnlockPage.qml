// Asks for the passphrase of a passphrase-protected profile. A wrong passphrase shows the
// controller's error and keeps the field ready for another try.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Page {
    id: page

    required property QtObject controller

    readonly property string currentPage: "unlock"
    readonly property string heading: qsTr("Unlock Hive")

    function unlock() {
        if (passphrase.text.length === 0 || controller.busy)
            return
        controller.unlock(passphrase.text)
    }

    Connections {
        target: page.controller
        // After a failed attempt select the text so the next try replaces it.
        function onErrorTextChanged() {
            if (page.controller.errorText.length > 0) {
                passphrase.selectAll()
                passphrase.forceActiveFocus()
            }
        }
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
        maxWidth: 400

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
            text: qsTr("Enter the passphrase that protects this profile.")
        }
        TextField {
            id: passphrase
            objectName: "passphraseField"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            placeholderText: qsTr("Passphrase")
            enabled: !page.controller.busy
            focus: true
            onAccepted: page.unlock()
        }
        Label {
            objectName: "errorLabel"
            Layout.fillWidth: true
            visible: page.controller.errorText.length > 0
            wrapMode: Text.WordWrap
            color: page.Material.color(Material.Red)
            text: page.controller.errorText
        }
        Button {
            objectName: "unlockButton"
            Layout.alignment: Qt.AlignHCenter
            highlighted: true
            enabled: passphrase.text.length > 0 && !page.controller.busy
            text: qsTr("Unlock")
            onClicked: page.unlock()
        }
        BusyIndicator {
            Layout.alignment: Qt.AlignHCenter
            visible: running
            running: page.controller.busy
        }
        Label {
            Layout.fillWidth: true
            Layout.topMargin: 16
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WrapAnywhere
            font.pixelSize: 11
            color: page.Material.hintTextColor
            //: %1 is the folder that holds the profile.
            text: qsTr("Profile: %1").arg(page.controller.profileDirectory)
        }
    }
}
