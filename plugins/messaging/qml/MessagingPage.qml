// The messaging plugin's page: the chat list beside the open conversation on wide
// windows, one of the two at a time below 720 px (the list, then the chat with a back
// button). Group and new-chat dialogs pick from the person's contacts.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import QtQuick.Window

Page {
    id: page
    objectName: "messagingPage"

    // The plugin's QObject, set by the shell (see core/plugin/plugin.h); null in previews.
    property QtObject plugin: null
    // The app's controller, set by the shell when the page declares it: its trust.contacts
    // are the people chats and groups are made with. Null in previews.
    property QtObject controller: null
    readonly property QtObject messaging: plugin && plugin.messaging ? plugin.messaging : null
    readonly property var contacts: controller && controller.trust ? controller.trust.contacts : null
    readonly property bool narrow: width < 720
    // Narrow layout: whether the conversation (rather than the list) is shown.
    property bool conversationShown: false
    // Set by the shell from a start page "messaging/<chat title>": that chat opens once
    // the list has it; "messaging/new-group" opens the new-group dialog (`hive --page`).
    property string pageArgument: ""

    // Asks the shell to open another page (the trust flow for a key change).
    signal openRequested(string page)

    title: qsTr("Messaging")

    function showChat(chatId) {
        if (messaging)
            messaging.openChat(chatId)
        conversationShown = true
    }

    function openArgumentChat() {
        if (!messaging || pageArgument.length === 0)
            return
        if (pageArgument === "new-group") {
            pageArgument = ""
            groupDialog.openFor("create")
            return
        }
        const chatId = messaging.chats.findChat(pageArgument)
        if (chatId !== 0) {
            pageArgument = ""
            showChat(chatId)
        }
    }

    onPageArgumentChanged: openArgumentChat()
    onMessagingChanged: openArgumentChat()
    Connections {
        target: page.messaging ? page.messaging.chats : null
        function onCountChanged() { page.openArgumentChat() }
    }

    // The open chat is read, and no notification is raised, only while the person sees it.
    Binding {
        target: page.messaging
        when: page.messaging !== null
        property: "windowActive"
        value: page.Window.active && page.visible && (!page.narrow || page.conversationShown)
    }

    ChatList {
        id: chatList
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.left: parent.left
        width: page.narrow ? parent.width : 320
        visible: page.messaging !== null && (!page.narrow || !page.conversationShown)
        messaging: page.messaging
        onChatChosen: chatId => page.showChat(chatId)
        onNewChatRequested: newChatDialog.open()
        onNewGroupRequested: groupDialog.openFor("create")
    }

    Rectangle {
        visible: !page.narrow && chatList.visible
        anchors.left: chatList.right
        width: 1
        height: parent.height
        color: page.Material.dividerColor
    }

    ConversationView {
        id: conversation
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.right: parent.right
        anchors.left: page.narrow ? parent.left : chatList.right
        anchors.leftMargin: page.narrow ? 0 : 1
        visible: page.messaging !== null && (!page.narrow || page.conversationShown)
        messaging: page.messaging
        showBack: page.narrow
        onBackRequested: page.conversationShown = false
        onManageGroupRequested: groupDialog.openFor("manage")
        onReviewKeyRequested: page.openRequested("people")
    }

    // Without a messenger (the plugin failed or has not started) the page says why.
    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 520)
        visible: page.messaging === null
        spacing: 8
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Messaging")
            font.pixelSize: 22
            font.bold: true
        }
        Label {
            objectName: "statusText"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: page.plugin ? page.plugin.statusText : qsTr("The plugin is not connected.")
        }
    }

    GroupDialog {
        id: groupDialog
        messaging: page.messaging
        contacts: page.contacts
        onAccepted: page.conversationShown = true
    }

    NewChatDialog {
        id: newChatDialog
        messaging: page.messaging
        contacts: page.contacts
        onChatOpened: page.conversationShown = true
    }
}
