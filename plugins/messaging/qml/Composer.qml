// The composer under a conversation: a multi-line field (Enter sends, Shift+Enter starts a
// new line), an attachment button with a file picker, and a send button. Disabled with a
// reason while sending is blocked (key change).
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts

Pane {
    id: composer

    // The MessagingController (see messaging/ui/messagingcontroller.h); null in previews.
    property QtObject messaging: null
    property bool blocked: false
    readonly property alias text: field.text

    padding: 8
    background: Rectangle {
        color: composer.Material.theme === Material.Dark ? "#1f1c1a" : "#f3efec"
        Rectangle {
            width: parent.width
            height: 1
            color: composer.Material.dividerColor
        }
    }

    function send() {
        if (!messaging || blocked || field.text.trim().length === 0)
            return
        if (messaging.sendText(field.text))
            field.clear()
    }

    FileDialog {
        id: filePicker
        objectName: "attachmentPicker"
        title: qsTr("Send a file")
        fileMode: FileDialog.OpenFile
        onAccepted: {
            if (composer.messaging)
                composer.messaging.sendFile(selectedFile)
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 4

        ToolButton {
            objectName: "attachButton"
            text: "+"
            font.pixelSize: 22
            enabled: !composer.blocked && composer.messaging !== null
            Accessible.name: qsTr("Attach a file")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Attach a file")
            onClicked: filePicker.open()
        }

        ScrollView {
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(field.implicitHeight, 140)
            TextArea {
                id: field
                objectName: "composerField"
                enabled: !composer.blocked
                placeholderText: composer.blocked ? qsTr("Sending is paused until you decide about the new key")
                                                  : qsTr("Write a message")
                wrapMode: TextEdit.Wrap
                Accessible.name: qsTr("Message")
                Keys.onReturnPressed: event => {
                    if (event.modifiers & Qt.ShiftModifier) {
                        event.accepted = false
                        return
                    }
                    composer.send()
                }
                Keys.onEnterPressed: event => composer.send()
                onTextChanged: {
                    if (composer.messaging)
                        composer.messaging.composing(text.length > 0)
                }
            }
        }

        Button {
            objectName: "sendButton"
            text: qsTr("Send")
            highlighted: true
            enabled: !composer.blocked && field.text.trim().length > 0
            Accessible.name: qsTr("Send message")
            onClicked: composer.send()
        }
    }
}
