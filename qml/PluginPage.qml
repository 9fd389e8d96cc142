// Shows a plugin's own QML page when the plugin runs; otherwise says why it does not
// (failed initialize, missing dependency) so the state is visible, never a blank area.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Item {
    id: root

    required property QtObject controller
    property string pluginId: ""
    // Model roles of the plugin (see Shell.pluginInfo); null while unknown.
    property var info: null
    // Handed to pages that declare `property string pageArgument` (see Shell).
    property string pageArgument: ""

    // PluginHost::State::Running
    // The shell updates pluginId before info: a page is loaded only once both name the
    // same plugin, so a page never starts with another plugin's object.
    readonly property bool running: info !== null && info.id === pluginId && info.state === 1
    readonly property string pageUrl: running && info.page.length > 0 ? info.page : ""
    property string loadedKey: ""

    // Reload only when the plugin or its page changes, not on every status update.
    function reload() {
        const key = pluginId + "|" + pageUrl
        if (key === loadedKey)
            return
        loadedKey = key
        if (pageUrl.length === 0) {
            pageLoader.source = ""
            return
        }
        // Plugin pages declare `property QtObject plugin` (see core/plugin/plugin.h).
        pageLoader.setSource(pageUrl, { plugin: controller.pluginObject(pluginId) })
    }

    onPluginIdChanged: reload()
    onPageUrlChanged: reload()
    Component.onCompleted: reload()

    // A plugin page may ask the shell to open another page (e.g. People).
    signal openRequested(string page)

    Loader {
        id: pageLoader
        objectName: "pluginPageLoader"
        anchors.fill: parent
        visible: status === Loader.Ready
        // Pages that declare `property QtObject controller` also get the app's controller
        // (for the trust service's contacts), and those declaring `pageArgument` the start
        // page's argument; the others are left as they are.
        onLoaded: {
            if (item.hasOwnProperty("controller"))
                item.controller = root.controller
            if (item.hasOwnProperty("pageArgument"))
                item.pageArgument = root.pageArgument
        }
    }

    Connections {
        target: pageLoader.item
        ignoreUnknownSignals: true
        function onOpenRequested(page) { root.openRequested(page) }
    }

    CenteredColumn {
        anchors.fill: parent
        visible: pageLoader.status !== Loader.Ready
        maxWidth: 520

        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            font.pixelSize: 20
            font.bold: true
            text: root.info === null ? qsTr("This plugin is not available.")
                : root.running ? qsTr("The page of %1 could not be loaded.").arg(root.info.name)
                //: %1 is a plugin name, %2 its state (for example "failed").
                : qsTr("%1: %2").arg(root.info.name).arg(root.info.stateText)
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            visible: text.length > 0
            color: root.Material.color(Material.Red)
            text: root.info === null || root.running ? "" : root.info.error
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            color: root.Material.secondaryTextColor
            visible: root.info !== null && !root.running
            text: qsTr("The other plugins keep running. Restart Hive after fixing the cause.")
        }
    }
}
