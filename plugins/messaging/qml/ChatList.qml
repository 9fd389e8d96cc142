// The chat list: search over the local history, buttons for a new chat and a new group,
// and one row per chat (avatar, title, last message or "typing…", time, unread badge).
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Page {
    id: list

    // The MessagingController; null in previews.
    property QtObject messaging: null
    readonly property bool searching: searchField.text.trim().length > 0
    property var results: []
    // Text on the accent colour: the dark theme's accent is amber, unreadable under white.
    readonly property color onAccent: Material.theme === Material.Dark ? "#1f1c1a" : "#ffffff"

    signal chatChosen(var chatId)
    signal newChatRequested()
    signal newGroupRequested()

    background: Rectangle {
        color: list.Material.theme === Material.Dark ? "#1f1c1a" : "#fbf8f6"
    }

    header: Pane {
        padding: 8
        // The search text lines up with the avatars of the rows below.
        leftPadding: 16
        background: Rectangle {
            color: "transparent"
            Rectangle {
                anchors.bottom: parent.bottom
                width: parent.width
                height: 1
                color: list.Material.dividerColor
            }
        }
        RowLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            spacing: 4
            TextField {
                id: searchField
                objectName: "searchField"
                Layout.fillWidth: true
                placeholderText: qsTr("Search messages")
                Accessible.name: qsTr("Search messages")
                onTextChanged: list.results = list.messaging && text.trim().length > 0 ? list.messaging.search(text) : []
            }
            ToolButton {
                objectName: "newButton"
                text: "+"
                font.pixelSize: 22
                enabled: list.messaging !== null
                Accessible.name: qsTr("New chat or group")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("New chat or group")
                onClicked: newMenu.popup()
                Menu {
                    id: newMenu
                    MenuItem {
                        objectName: "newChatItem"
                        text: qsTr("New chat")
                        onTriggered: list.newChatRequested()
                    }
                    MenuItem {
                        objectName: "newGroupItem"
                        text: qsTr("New group")
                        onTriggered: list.newGroupRequested()
                    }
                }
            }
        }
    }

    ListView {
        id: chats
        objectName: "chatList"
        anchors.fill: parent
        visible: !list.searching
        clip: true
        model: list.messaging ? list.messaging.chats : null
        Accessible.name: qsTr("Chats")
        delegate: ItemDelegate {
            id: row
            required property var model
            objectName: "chat_" + model.title
            width: ListView.view.width
            implicitHeight: 68
            highlighted: list.messaging !== null && list.messaging.currentChatId === model.chatId
            Accessible.name: model.unread > 0 ? qsTr("%1, %n unread", "", model.unread).arg(model.title) : model.title
            onClicked: list.chatChosen(model.chatId)
            contentItem: RowLayout {
                spacing: 12
                Rectangle {
                    Layout.preferredWidth: 44
                    Layout.preferredHeight: 44
                    radius: 22
                    color: row.model.isGroup ? list.Material.accent : list.Material.primary
                    Label {
                        anchors.centerIn: parent
                        text: row.model.initials
                        color: row.model.isGroup ? list.onAccent : "#ffffff"
                        font.bold: true
                        font.pixelSize: 16
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            Layout.fillWidth: true
                            text: row.model.title
                            font.bold: true
                            font.pixelSize: 15
                            elide: Text.ElideRight
                        }
                        Label {
                            text: row.model.timeText
                            font.pixelSize: 12
                            color: row.model.unread > 0 ? list.Material.accent : list.Material.secondaryTextColor
                        }
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            Layout.fillWidth: true
                            text: row.model.typing ? qsTr("typing…")
                                : row.model.keyChangeBlocked ? qsTr("Safety key changed")
                                : row.model.lastText
                            font.italic: row.model.typing
                            color: row.model.keyChangeBlocked ? list.Material.color(Material.Red) : list.Material.secondaryTextColor
                            elide: Text.ElideRight
                            maximumLineCount: 1
                        }
                        Label {
                            visible: row.model.disappearSeconds > 0
                            text: "◷"
                            font.pixelSize: 12
                            color: list.Material.secondaryTextColor
                        }
                        Rectangle {
                            objectName: "unreadBadge"
                            visible: row.model.unread > 0
                            Layout.preferredHeight: 20
                            Layout.preferredWidth: Math.max(20, badgeText.implicitWidth + 10)
                            radius: 10
                            color: list.Material.accent
                            Label {
                                id: badgeText
                                anchors.centerIn: parent
                                text: row.model.unread > 99 ? "99+" : row.model.unread
                                color: list.onAccent
                                font.pixelSize: 11
                                font.bold: true
                            }
                        }
                    }
                }
            }
        }

        Label {
            anchors.centerIn: parent
            width: parent.width - 48
            visible: chats.count === 0
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: list.messaging ? qsTr("No chats yet. Start one with a friend you added in People.")
                                 : qsTr("Messaging is not running.")
            color: list.Material.secondaryTextColor
        }
    }

    ListView {
        objectName: "searchResults"
        anchors.fill: parent
        visible: list.searching
        clip: true
        model: list.results
        delegate: ItemDelegate {
            required property var modelData
            width: ListView.view.width
            text: modelData.senderName + ": " + modelData.text
            Accessible.name: text
            onClicked: list.chatChosen(modelData.chatId)
        }
        Label {
            anchors.centerIn: parent
            visible: list.searching && list.results.length === 0
            text: qsTr("No message matches.")
            color: list.Material.secondaryTextColor
        }
    }
}
