// Creating a group, or changing one: its name and which contacts are members. Members
// are picked from the person's contacts (People); on save the changes are applied one by
// one (removing a member rotates the group's key).
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Dialog {
    id: dialog
    objectName: "groupDialog"

    // The MessagingController and the contacts list model (roles contactId, name,
    // contactState); either may be null in previews.
    property QtObject messaging: null
    property var contacts: null
    // "create" or "manage" (the open chat).
    property string mode: "create"
    // Contact ids ticked in the list.
    property var selected: []
    property var original: []

    modal: true

    // Drawn here: Material's popup shadow needs OpenGL and leaves the body transparent in
    // the software renderer (see qml/Card.qml).
    background: Rectangle {
        radius: 8
        color: dialog.Material.theme === Material.Dark ? "#2a2623" : "#ffffff"
        border.color: dialog.Material.dividerColor
    }
    anchors.centerIn: Overlay.overlay
    width: Math.min(440, (parent ? parent.width : 440) - 32)
    height: Math.min(560, (parent ? parent.height : 560) - 32)
    title: mode === "create" ? qsTr("New group") : qsTr("Group members and name")
    standardButtons: Dialog.Cancel | Dialog.Save

    function openFor(newMode) {
        mode = newMode
        const chat = messaging ? messaging.currentChat : ({})
        nameField.text = mode === "manage" ? (chat.title || "") : ""
        // The chat list knows members by name; tick the contacts of those names.
        const members = mode === "manage" ? (chat.members || []) : []
        const ids = []
        if (contacts) {
            for (let i = 0; i < contactRepeater.count; ++i) {
                const item = contactRepeater.itemAt(i)
                if (item && members.indexOf(item.contactName) >= 0)
                    ids.push(item.contactId)
            }
        }
        selected = ids
        original = ids.slice()
        open()
    }

    function toggle(contactId, on) {
        const next = selected.filter(id => id !== contactId)
        if (on)
            next.push(contactId)
        selected = next
    }

    onAccepted: {
        if (!messaging)
            return
        if (mode === "create") {
            messaging.createGroup(nameField.text, selected)
            return
        }
        if (nameField.text.trim() !== (messaging.currentChat.title || ""))
            messaging.renameGroup(nameField.text)
        for (const id of selected) {
            if (original.indexOf(id) < 0)
                messaging.addMember(id)
        }
        for (const id of original) {
            if (selected.indexOf(id) < 0)
                messaging.removeMember(id)
        }
    }

    Component.onCompleted: {
        const save = standardButton(Dialog.Save)
        if (save)
            save.enabled = Qt.binding(() => nameField.text.trim().length > 0
                                             && (dialog.mode === "manage" || dialog.selected.length > 0))
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 12

        TextField {
            id: nameField
            objectName: "groupName"
            Layout.fillWidth: true
            placeholderText: qsTr("Group name")
            Accessible.name: qsTr("Group name")
        }

        Label {
            Layout.fillWidth: true
            text: qsTr("Members")
            font.bold: true
        }

        ScrollView {
            id: scroll
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            ColumnLayout {
                width: scroll.availableWidth
                spacing: 0
                Repeater {
                    id: contactRepeater
                    model: dialog.contacts
                    CheckDelegate {
                        required property var model
                        readonly property var contactId: model.contactId
                        readonly property string contactName: model.name
                        objectName: "member_" + model.name
                        Layout.fillWidth: true
                        text: model.name
                        enabled: model.contactState === "active"
                        checked: dialog.selected.indexOf(model.contactId) >= 0
                        Accessible.name: qsTr("Member %1").arg(model.name)
                        onToggled: dialog.toggle(model.contactId, checked)
                    }
                }
                Label {
                    Layout.fillWidth: true
                    visible: contactRepeater.count === 0
                    wrapMode: Text.WordWrap
                    text: qsTr("No contacts yet. Add friends in People by scanning their code.")
                    color: dialog.Material.secondaryTextColor
                }
            }
        }

        Label {
            Layout.fillWidth: true
            visible: dialog.mode === "manage"
            wrapMode: Text.WordWrap
            font.pixelSize: 12
            text: qsTr("Removed members cannot read what is written after they leave.")
            color: dialog.Material.secondaryTextColor
        }
    }
}
