// Chooses light, dark, or the system's colour scheme.
import QtQuick
import QtQuick.Controls

ComboBox {
    id: root

    required property QtObject controller

    implicitContentWidthPolicy: ComboBox.WidestTextWhenCompleted
    // A text arrow instead of the style's image: Qt 6.4 leaks that image's texture at exit
    // under the software renderer.
    indicator: Label {
        x: root.mirrored ? root.padding : root.width - width - root.padding
        y: root.topPadding + (root.availableHeight - height) / 2
        width: 32
        horizontalAlignment: Text.AlignHCenter
        text: "▾"
        font.pixelSize: 18
    }
    textRole: "text"
    valueRole: "code"
    model: [
        { code: "system", text: qsTr("Same as the system") },
        { code: "light", text: qsTr("Light") },
        { code: "dark", text: qsTr("Dark") }
    ]
    Accessible.name: qsTr("Theme")

    function sync() { currentIndex = Math.max(0, indexOfValue(controller.theme)) }

    Component.onCompleted: sync()
    onModelChanged: sync()
    onActivated: controller.theme = currentValue

    Connections {
        target: root.controller
        function onThemeChanged() { root.sync() }
    }
}
