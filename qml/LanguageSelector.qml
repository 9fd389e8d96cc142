// Chooses the UI language. "System default" follows the locale; the others are written in
// their own language so a person can find theirs whatever the UI currently shows.
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
        { code: "", text: qsTr("System default") },
        { code: "en", text: "English" },
        { code: "de", text: "Deutsch" },
        { code: "es", text: "Español" }
    ]
    Accessible.name: qsTr("Language")

    function sync() { currentIndex = Math.max(0, indexOfValue(controller.language)) }

    Component.onCompleted: sync()
    onModelChanged: sync()
    onActivated: controller.language = currentValue

    Connections {
        target: root.controller
        function onLanguageChanged() { root.sync() }
    }
}
