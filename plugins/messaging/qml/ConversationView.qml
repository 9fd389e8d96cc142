// One open chat: a header (title, members or "typing…", disappearing timer, group and
// timer menu), the key-change banner that pauses sending until the person decides, the
// messages with day separators, and the composer.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Page {
    id: view

    // The MessagingController; null in previews.
    property QtObject messaging: null
    // Narrow layout: a back button returns to the chat list.
    property bool showBack: false
    readonly property var chat: messaging ? messaging.currentChat : ({})
    readonly property bool hasChat: messaging !== null && messaging.currentChatId !== 0
    readonly property bool blocked: hasChat && chat.keyChangeBlocked === true
    readonly property int timer: hasChat && chat.disappearSeconds ? chat.disappearSeconds : 0

    signal backRequested()
    signal manageGroupRequested()
    // The key-change banner's buttons lead to the People page (the trust flow).
    signal reviewKeyRequested()

    function timerText(seconds) {
        if (seconds <= 0)
            return qsTr("Off")
        if (seconds < 3600)
            return qsTr("%n minute(s)", "", Math.round(seconds / 60))
        if (seconds < 86400)
            return qsTr("%n hour(s)", "", Math.round(seconds / 3600))
        if (seconds < 604800)
            return qsTr("%n day(s)", "", Math.round(seconds / 86400))
        return qsTr("%n week(s)", "", Math.round(seconds / 604800))
    }

    header: ToolBar {
        Material.elevation: 0
        visible: view.hasChat
        background: Rectangle {
            implicitHeight: 56
            color: view.Material.theme === Material.Dark ? "#24201d" : "#fbf8f6"
            Rectangle {
                anchors.bottom: parent.bottom
                width: parent.width
                height: 1
                color: view.Material.dividerColor
            }
        }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: view.showBack ? 0 : 16
            spacing: 4
            ToolButton {
                objectName: "backButton"
                visible: view.showBack
                text: "‹"
                font.pixelSize: 26
                Accessible.name: qsTr("Back to chats")
                onClicked: view.backRequested()
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Label {
                    objectName: "conversationTitle"
                    Layout.fillWidth: true
                    text: view.chat.title || ""
                    font.pixelSize: 17
                    font.bold: true
                    elide: Text.ElideRight
                }
                Label {
                    Layout.fillWidth: true
                    text: view.messaging && view.messaging.peerTyping ? qsTr("typing…")
                        : view.chat.isGroup ? (view.chat.members || []).join(", ")
                        : ""
                    visible: text.length > 0
                    font.pixelSize: 12
                    color: view.Material.secondaryTextColor
                    elide: Text.ElideRight
                }
            }
            Label {
                objectName: "timerIndicator"
                visible: view.timer > 0
                text: "◷ " + view.timerText(view.timer)
                font.pixelSize: 12
                color: view.Material.secondaryTextColor
                Accessible.name: qsTr("Messages disappear after %1").arg(view.timerText(view.timer))
            }
            ToolButton {
                objectName: "chatMenuButton"
                text: "⋮"
                font.pixelSize: 20
                Accessible.name: qsTr("Chat options")
                onClicked: chatMenu.popup()
                Menu {
                    id: chatMenu
                    MenuItem {
                        visible: view.chat.isGroup === true
                        height: visible ? implicitHeight : 0
                        text: qsTr("Group members and name…")
                        onTriggered: view.manageGroupRequested()
                    }
                    MenuItem {
                        objectName: "readReceiptsItem"
                        text: qsTr("Send read receipts")
                        checkable: true
                        checked: view.messaging !== null && view.messaging.readReceipts
                        onTriggered: view.messaging.readReceipts = checked
                    }
                    MenuItem {
                        objectName: "typingIndicatorsItem"
                        text: qsTr("Show that I am typing")
                        checkable: true
                        checked: view.messaging !== null && view.messaging.typingIndicators
                        onTriggered: view.messaging.typingIndicators = checked
                    }
                    Menu {
                        title: qsTr("Disappearing messages")
                        Repeater {
                            model: [0, 300, 3600, 86400, 604800]
                            MenuItem {
                                required property int modelData
                                text: view.timerText(modelData)
                                checkable: true
                                checked: view.timer === modelData
                                onTriggered: view.messaging.setDisappearing(modelData)
                            }
                        }
                    }
                }
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Pane {
            id: banner
            objectName: "keyChangeBanner"
            visible: view.blocked
            Layout.fillWidth: true
            padding: 12
            readonly property color tone: view.Material.color(Material.Red)
            background: Rectangle {
                color: Qt.rgba(banner.tone.r, banner.tone.g, banner.tone.b, 0.12)
                border.color: banner.tone
            }
            ColumnLayout {
                anchors.left: parent.left
                anchors.right: parent.right
                spacing: 6
                Label {
                    Layout.fillWidth: true
                    text: qsTr("%1's safety key changed. Sending is paused until you decide whether to trust the new key.")
                          .arg(view.chat.title || "")
                    wrapMode: Text.WordWrap
                }
                RowLayout {
                    spacing: 8
                    Button {
                        objectName: "reviewKeyButton"
                        text: qsTr("Review the new key")
                        highlighted: true
                        Accessible.name: qsTr("Review the new key in People")
                        onClicked: view.reviewKeyRequested()
                    }
                }
            }
        }

        Label {
            visible: view.messaging !== null && view.messaging.errorText.length > 0
            Layout.fillWidth: true
            Layout.margins: 8
            text: view.messaging ? view.messaging.errorText : ""
            wrapMode: Text.WordWrap
            color: view.Material.color(Material.Red)
        }

        ListView {
            id: messages
            objectName: "messageList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 6
            topMargin: 8
            bottomMargin: 8
            model: view.hasChat ? view.messaging.conversation : null
            Accessible.name: qsTr("Messages")
            // "Today", "Yesterday" or the date: one section per calendar day.
            section.property: "dayText"
            section.criteria: ViewSection.FullString
            section.delegate: Item {
                id: separator
                required property string section
                width: messages.width
                height: 36
                Rectangle {
                    anchors.centerIn: parent
                    width: dayLabel.implicitWidth + 20
                    height: 24
                    radius: 12
                    color: view.Material.theme === Material.Dark ? "#3a3430" : "#ebe4df"
                    Label {
                        id: dayLabel
                        objectName: "daySeparator"
                        anchors.centerIn: parent
                        text: separator.section
                        font.pixelSize: 12
                        color: view.Material.secondaryTextColor
                    }
                }
            }
            delegate: Item {
                id: row
                required property var model
                width: messages.width
                height: bubble.implicitHeight
                MessageBubble {
                    id: bubble
                    x: 12
                    width: row.width - 24
                    outgoing: row.model.outgoing
                    showSender: view.chat.isGroup === true
                    senderName: row.model.senderName
                    text: row.model.text
                    timeText: row.model.timeText
                    deliveryState: row.model.state
                    stateMark: row.model.stateMark
                    stateText: row.model.stateText
                    hasAttachment: row.model.hasAttachment
                    fileName: row.model.fileName
                    sizeText: row.model.sizeText
                    progress: row.model.progress
                    localUrl: row.model.localUrl
                    isImage: row.model.isImage
                    thumbnail: row.model.thumbnail
                    transferFailed: row.model.transferFailed
                    disappearing: row.model.disappears
                    onRetryRequested: view.messaging.retryTransfer(row.model.messageId)
                }
            }
            onCountChanged: Qt.callLater(positionViewAtEnd)
            Component.onCompleted: positionViewAtEnd()

            Label {
                anchors.centerIn: parent
                width: parent.width - 48
                visible: view.hasChat && messages.count === 0
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                text: qsTr("No messages yet. Messages are end-to-end encrypted: only the people in this chat can read them.")
                color: view.Material.secondaryTextColor
            }
        }

        Composer {
            Layout.fillWidth: true
            visible: view.hasChat
            messaging: view.messaging
            blocked: view.blocked
        }
    }

    Label {
        objectName: "noChatSelected"
        anchors.centerIn: parent
        width: parent.width - 48
        visible: !view.hasChat
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
        text: qsTr("Choose a chat, or start one with a friend.")
        font.pixelSize: 16
        color: view.Material.secondaryTextColor
    }
}
