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
    // How many listed contacts carry each name: a shared name is shown with the start of
    // the contact's fingerprint so that the person can tell them apart.
    property var nameCounts: ({})

    function countName(name, delta) {
        const next = Object.assign({}, nameCounts)
        next[name] = (next[name] || 0) + delta
        nameCounts = next
    }

    modal: true

    // Drawn here: Material's popup shadow needs OpenGL and leaves the body transparent in
    // the software renderer (see qml/Card.qml). Material's title and button bar paint their
    // own square rectangles in its dialog colour over this one's border and corners; theirs
    // are dropped below so this one shows whole. The border is the divider tint mixed into
    // the body colour: the translucent divider itself lets the dimmed page through, a strip
    // lighter (dark theme) or darker than the dialog along its edges.
    background: Rectangle {
        radius: 8
        color: dialog.Material.theme === Material.Dark ? "#2a2623" : "#ffffff"
        border.color: Qt.tint(color, dialog.Material.dividerColor)
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
        // Members are matched by contact id, never by name: two contacts may share a name.
        // 0 stands for a member who is not one of our contacts (nothing to tick).
        const ids = (mode === "manage" ? (chat.memberIds || []) : []).filter(id => id !== 0)
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
        if (header)
            header.background = null
        if (footer)
            footer.background = null
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
                    onItemAdded: (index, item) => dialog.countName(item.contactName, 1)
                    onItemRemoved: (index, item) => dialog.countName(item.contactName, -1)
                    CheckDelegate {
                        required property var model
                        readonly property var contactId: model.contactId
                        readonly property string contactName: model.name
                        objectName: "member_" + model.contactId
                        Layout.fillWidth: true
                        text: (dialog.nameCounts[contactName] || 0) > 1 && model.fingerprint
                              //: A contact whose name another contact shares; %2 is the start of their key's fingerprint.
                              ? qsTr("%1 (key %2)").arg(contactName).arg(String(model.fingerprint).slice(0, 9))
                              : contactName
                        enabled: model.contactState === "active"
                        checked: dialog.selected.indexOf(model.contactId) >= 0
                        Accessible.name: qsTr("Member %1").arg(text)
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
