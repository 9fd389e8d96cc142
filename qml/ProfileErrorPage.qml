// Shown when the profile exists but cannot be opened (damaged files, or a keychain that
// cannot be reached). Nothing is changed on disk; the person may retry.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Page {
    id: page

    required property QtObject controller

    readonly property string currentPage: "error"
    readonly property string heading: qsTr("Hive cannot open your profile")

    CenteredColumn {
        anchors.fill: parent
        maxWidth: 480

        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: 24
            font.bold: true
            wrapMode: Text.WordWrap
            text: page.heading
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            color: page.Material.color(Material.Red)
            text: page.controller.errorText
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            color: page.Material.secondaryTextColor
            text: qsTr("Your files have not been changed. If the system keychain was locked, unlock it and try again.")
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WrapAnywhere
            font.pixelSize: 11
            color: page.Material.hintTextColor
            text: qsTr("Profile: %1").arg(page.controller.profileDirectory)
        }
        Button {
            Layout.alignment: Qt.AlignHCenter
            highlighted: true
            enabled: !page.controller.busy
            text: qsTr("Try again")
            onClicked: page.controller.retry()
        }
    }
}
