// Starting a 1:1 chat: pick one of the person's contacts.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Dialog {
    id: dialog
    objectName: "newChatDialog"

    property QtObject messaging: null
    // The contacts list model (roles contactId, name, contactState); null in previews.
    property var contacts: null
    // How many listed contacts carry each name: a shared name is shown with the start of
    // the contact's fingerprint so that the person can tell them apart.
    property var nameCounts: ({})

    function countName(name, delta) {
        const next = Object.assign({}, nameCounts)
        next[name] = (next[name] || 0) + delta
        nameCounts = next
    }

    signal chatOpened()

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
    width: Math.min(400, (parent ? parent.width : 400) - 32)
    height: Math.min(520, (parent ? parent.height : 520) - 32)
    title: qsTr("New chat")
    standardButtons: Dialog.Cancel

    Component.onCompleted: {
        if (header)
            header.background = null
        if (footer)
            footer.background = null
    }

    ScrollView {
        id: scroll
        anchors.fill: parent
        clip: true
        ColumnLayout {
            width: scroll.availableWidth
            spacing: 0
            Repeater {
                id: contactRepeater
                model: dialog.contacts
                onItemAdded: (index, item) => dialog.countName(item.contactName, 1)
                onItemRemoved: (index, item) => dialog.countName(item.contactName, -1)
                ItemDelegate {
                    required property var model
                    readonly property string contactName: model.name
                    objectName: "contact_" + model.contactId
                    Layout.fillWidth: true
                    text: (dialog.nameCounts[contactName] || 0) > 1 && model.fingerprint
                          //: A contact whose name another contact shares; %2 is the start of their key's fingerprint.
                          ? qsTr("%1 (key %2)").arg(contactName).arg(String(model.fingerprint).slice(0, 9))
                          : contactName
                    enabled: model.contactState !== "pending-request"
                    Accessible.name: qsTr("Chat with %1").arg(text)
                    onClicked: {
                        if (dialog.messaging && dialog.messaging.openContact(model.contactId) !== 0) {
                            dialog.close()
                            dialog.chatOpened()
                        }
                    }
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
}
