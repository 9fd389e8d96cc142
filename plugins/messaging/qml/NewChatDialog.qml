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

    signal chatOpened()

    modal: true

    // Drawn here: Material's popup shadow needs OpenGL and leaves the body transparent in
    // the software renderer (see qml/Card.qml).
    background: Rectangle {
        radius: 8
        color: dialog.Material.theme === Material.Dark ? "#2a2623" : "#ffffff"
        border.color: dialog.Material.dividerColor
    }
    anchors.centerIn: Overlay.overlay
    width: Math.min(400, (parent ? parent.width : 400) - 32)
    height: Math.min(520, (parent ? parent.height : 520) - 32)
    title: qsTr("New chat")
    standardButtons: Dialog.Cancel

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
                ItemDelegate {
                    required property var model
                    objectName: "contact_" + model.name
                    Layout.fillWidth: true
                    text: model.name
                    enabled: model.contactState !== "pending-request"
                    Accessible.name: qsTr("Chat with %1").arg(model.name)
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
