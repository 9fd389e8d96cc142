// The one window of the Hive app. It shows onboarding, the unlock screen, a profile error
// or the main shell, depending on the state of the AppController it is given.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

ApplicationWindow {
    id: window

    // The AppController built by app/main.cpp (never a singleton; see app/appcontroller.h).
    required property QtObject controller
    // Page the shell opens first after unlocking: "home", "settings" or a plugin id.
    property string startPage: "home"

    // Names of what is on screen, read by the end-to-end test and by --screenshot.
    readonly property string currentView: controller.state
    readonly property string currentPage: stage.item && stage.item.currentPage !== undefined
                                          ? stage.item.currentPage : controller.state
    readonly property string heading: stage.item && stage.item.heading !== undefined ? stage.item.heading : ""
    readonly property string layout: width < 600 ? "narrow" : "wide"

    width: 1100
    height: 720
    minimumWidth: 320
    minimumHeight: 480
    visible: true
    title: controller.state === "main" && controller.displayName.length > 0
           //: Window title once unlocked; %1 is the person's display name.
           ? qsTr("Hive — %1").arg(controller.displayName)
           : qsTr("Hive")

    Material.theme: controller.theme === "dark" ? Material.Dark
                  : controller.theme === "light" ? Material.Light : Material.System
    Material.primary: Material.theme === Material.Dark ? "#3b3226" : "#5d4037"
    Material.accent: Material.theme === Material.Dark ? "#ffc107" : "#e65100"

    Loader {
        id: stage
        // Found by name at exit: app/main.cpp unloads the pages before the window goes.
        objectName: "stage"
        anchors.fill: parent
        sourceComponent: {
            switch (window.controller.state) {
            case "onboarding": return onboarding
            case "unlock": return unlock
            case "main": return shell
            default: return profileError
            }
        }
    }

    Component {
        id: onboarding
        OnboardingPage { controller: window.controller }
    }
    Component {
        id: unlock
        UnlockPage { controller: window.controller }
    }
    Component {
        id: shell
        Shell {
            controller: window.controller
            narrow: window.layout === "narrow"
            initialPage: window.startPage
        }
    }
    Component {
        id: profileError
        ProfileErrorPage { controller: window.controller }
    }
}
