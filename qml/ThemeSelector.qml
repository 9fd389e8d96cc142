// Chooses light, dark, or the system's colour scheme.
import QtQuick
import QtQuick.Controls

ComboBox {
    id: root

    required property QtObject controller

    implicitContentWidthPolicy: ComboBox.WidestTextWhenCompleted
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
