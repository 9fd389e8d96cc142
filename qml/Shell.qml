// The main window content once unlocked: navigation (side bar when wide, drawer when
// narrow), a title bar, and the current page: Me, a plugin's page, or Settings.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Page {
    id: shell

    required property QtObject controller
    // Phone layout below 600 px: navigation moves into a drawer.
    property bool narrow: false
    property string initialPage: "home"
    // "home", "settings", "people", "mycode", "scan" or a plugin id.
    property string currentPage: initialPage
    // The model roles of the selected plugin (null when Me or Settings is shown).
    property var pluginInfo: null
    // A start page "plugin/argument" opens the plugin's page with an argument (for
    // messaging: the title of the chat to open); the part before "/" is the page.
    property string pageArgument: ""

    readonly property string heading: currentTitle
    readonly property string currentTitle: currentPage === "home" ? qsTr("Me")
                                         : currentPage === "settings" ? qsTr("Settings")
                                         : currentPage === "people" ? qsTr("People")
                                         : currentPage === "mycode" ? qsTr("My code")
                                         : currentPage === "scan" ? qsTr("Scan")
                                         : pluginInfo ? pluginInfo.name : ""

    function open(page) {
        currentPage = page
        drawer.close()
    }

    Component.onCompleted: {
        const slash = initialPage.indexOf("/")
        if (slash > 0) {
            pageArgument = initialPage.slice(slash + 1)
            currentPage = initialPage.slice(0, slash)
        }
    }

    // Keeps pluginInfo in step with the model row of the selected plugin, so state changes
    // (a plugin failing, its status text) show up at once.
    Item {
        visible: false
        Repeater {
            model: shell.controller.plugins
            Item {
                required property var model
                Binding {
                    when: model.id === shell.currentPage
                    target: shell
                    property: "pluginInfo"
                    value: ({ id: model.id, name: model.name, version: model.version,
                              state: model.state, stateText: model.stateText, error: model.error,
                              page: model.page.toString(), statusText: model.statusText })
                }
            }
        }
    }

    Pane {
        id: sideBar
        objectName: "sideBar"
        visible: !shell.narrow
        width: visible ? 264 : 0
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.left: parent.left
        padding: 0
        z: 1
        background: Rectangle {
            color: shell.Material.theme === Material.Dark ? "#1f1c1a" : "#f3efec"
            Rectangle {
                anchors.right: parent.right
                width: 1
                height: parent.height
                color: shell.Material.dividerColor
            }
        }

        ColumnLayout {
            anchors.fill: parent
            spacing: 0
            NavigationHeader {
                Layout.fillWidth: true
                controller: shell.controller
            }
            NavigationList {
                Layout.fillWidth: true
                Layout.fillHeight: true
                controller: shell.controller
                currentPage: shell.currentPage
                onActivated: page => shell.open(page)
            }
        }
    }

    ColumnLayout {
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.left: sideBar.right
        anchors.right: parent.right
        spacing: 0

        ToolBar {
            Layout.fillWidth: true
            // Flat: Material's elevation shadow needs OpenGL (see Card.qml).
            Material.elevation: 0
            Material.foreground: "#ffffff"
            background: Rectangle {
                implicitHeight: 56
                color: shell.Material.primary
            }
            RowLayout {
                anchors.fill: parent
                spacing: 0
                ToolButton {
                    objectName: "menuButton"
                    visible: shell.narrow
                    text: "☰"
                    font.pixelSize: 20
                    Accessible.name: qsTr("Open navigation")
                    onClicked: drawer.open()
                }
                Label {
                    objectName: "pageTitle"
                    Layout.fillWidth: true
                    leftPadding: shell.narrow ? 4 : 24
                    text: shell.currentTitle
                    font.pixelSize: 20
                    elide: Text.ElideRight
                    verticalAlignment: Text.AlignVCenter
                }
            }
        }

        Loader {
            id: content
            Layout.fillWidth: true
            Layout.fillHeight: true
            sourceComponent: shell.currentPage === "home" ? homePage
                           : shell.currentPage === "settings" ? settingsPage
                           : shell.currentPage === "people" ? peoplePage
                           : shell.currentPage === "mycode" ? myCodePage
                           : shell.currentPage === "scan" ? scanPage : pluginPage
        }
    }

    Drawer {
        id: drawer
        objectName: "navigationDrawer"
        width: Math.min(shell.width * 0.85, 300)
        height: shell.height
        interactive: shell.narrow
        Material.elevation: 0

        ColumnLayout {
            anchors.fill: parent
            spacing: 0
            NavigationHeader {
                Layout.fillWidth: true
                controller: shell.controller
            }
            NavigationList {
                Layout.fillWidth: true
                Layout.fillHeight: true
                controller: shell.controller
                currentPage: shell.currentPage
                onActivated: page => shell.open(page)
            }
        }
    }

    TrustNotice {
        parent: Overlay.overlay
        trust: shell.controller.trust
        onOpenRequested: shell.open("people")
    }

    Component {
        id: homePage
        HomePage {
            controller: shell.controller
            onOpenRequested: page => shell.open(page)
        }
    }
    Component {
        id: peoplePage
        PeoplePage {
            controller: shell.controller
            pageArgument: shell.pageArgument
            onOpenRequested: page => shell.open(page)
        }
    }
    Component {
        id: myCodePage
        MyCodePage { controller: shell.controller }
    }
    Component {
        id: scanPage
        ScanPage { controller: shell.controller }
    }
    Component {
        id: settingsPage
        SettingsPage { controller: shell.controller }
    }
    Component {
        id: pluginPage
        PluginPage {
            controller: shell.controller
            pluginId: shell.currentPage
            info: shell.pluginInfo
            pageArgument: shell.pageArgument
            onOpenRequested: page => shell.open(page)
        }
    }
}
