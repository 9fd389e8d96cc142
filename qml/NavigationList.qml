// The list of places in the shell: Me, one entry per plugin (with its state), Settings.
// Used as the side bar on wide windows and inside the drawer on narrow ones.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

ScrollView {
    id: root

    required property QtObject controller
    // "home", "settings" or a plugin id.
    property string currentPage: "home"

    signal activated(string page)

    contentWidth: availableWidth
    clip: true

    ColumnLayout {
        width: root.availableWidth
        spacing: 0

        NavigationItem {
            Layout.fillWidth: true
            objectName: "nav_home"
            text: qsTr("Me")
            subtitle: root.controller.displayName
            letter: root.controller.displayName.length > 0 ? root.controller.displayName[0] : "?"
            selected: root.currentPage === "home"
            onClicked: root.activated("home")
        }

        // Meeting people: the trust pages (hidden if the trust service is unavailable).
        NavigationItem {
            Layout.fillWidth: true
            objectName: "nav_people"
            visible: !!root.controller.trust
            text: qsTr("People")
            readonly property int keyChanges: root.controller.trust ? root.controller.trust.keyChanges : 0
            readonly property int contactCount: root.controller.trust ? root.controller.trust.contacts.count : 0
            subtitle: keyChanges === 1 ? qsTr("1 key change to review")
                    : keyChanges > 1 ? qsTr("%1 key changes to review").arg(keyChanges)
                    : contactCount === 1 ? qsTr("1 contact") : qsTr("%1 contacts").arg(contactCount)
            warning: !!root.controller.trust && root.controller.trust.keyChanges > 0
            letter: "☺"
            selected: root.currentPage === "people"
            onClicked: root.activated("people")
        }
        NavigationItem {
            Layout.fillWidth: true
            objectName: "nav_mycode"
            visible: !!root.controller.trust
            text: qsTr("My code")
            subtitle: qsTr("Let a friend scan it")
            letter: "▦"
            selected: root.currentPage === "mycode"
            onClicked: root.activated("mycode")
        }
        NavigationItem {
            Layout.fillWidth: true
            objectName: "nav_scan"
            visible: !!root.controller.trust
            text: qsTr("Scan")
            subtitle: qsTr("Add a friend")
            letter: "+"
            selected: root.currentPage === "scan"
            onClicked: root.activated("scan")
        }

        Label {
            Layout.fillWidth: true
            Layout.topMargin: 12
            leftPadding: 16
            bottomPadding: 4
            font.pixelSize: 12
            font.bold: true
            color: root.Material.secondaryTextColor
            text: qsTr("Plugins")
        }

        Repeater {
            model: root.controller.plugins
            NavigationItem {
                required property var model
                Layout.fillWidth: true
                objectName: "nav_" + model.id
                text: model.name
                // A running plugin shows its own status; any other state says what is wrong.
                subtitle: model.state === 1 ? model.statusText : model.stateText
                warning: model.state === 2 || model.state === 3
                letter: model.name.length > 0 ? model.name[0] : "?"
                selected: root.currentPage === model.id
                onClicked: root.activated(model.id)
            }
        }

        MenuSeparator { Layout.fillWidth: true }

        NavigationItem {
            Layout.fillWidth: true
            objectName: "nav_settings"
            text: qsTr("Settings")
            letter: "⚙"
            selected: root.currentPage === "settings"
            onClicked: root.activated("settings")
        }
    }
}
