// A rough strength hint for a passphrase: a four-step bar and a word. It estimates
// entropy from length and character classes; it is a hint, not a guarantee.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

ColumnLayout {
    id: root

    property string passphrase: ""
    // 0 empty, 1 weak, 2 fair, 3 good, 4 strong
    readonly property int level: estimate(passphrase)

    spacing: 4

    function estimate(text) {
        if (text.length === 0)
            return 0
        let pool = 0
        if (/[a-z]/.test(text)) pool += 26
        if (/[A-Z]/.test(text)) pool += 26
        if (/[0-9]/.test(text)) pool += 10
        if (/[^A-Za-z0-9]/.test(text)) pool += 33
        // Repeated characters add little, so count distinct ones for the length part.
        const distinct = new Set(text.split("")).size
        const effective = Math.min(text.length, distinct * 2)
        const bits = effective * Math.log2(Math.max(pool, 2))
        if (text.length < 8 || bits < 40)
            return 1
        if (bits < 60)
            return 2
        if (bits < 80)
            return 3
        return 4
    }

    readonly property var colors: ["transparent", "#d32f2f", "#f57c00", "#7cb342", "#2e7d32"]

    RowLayout {
        Layout.fillWidth: true
        spacing: 4
        Repeater {
            model: 4
            Rectangle {
                required property int index
                Layout.fillWidth: true
                Layout.preferredHeight: 4
                radius: 2
                color: index < root.level ? root.colors[root.level] : root.Material.dividerColor
            }
        }
    }
    Label {
        Layout.fillWidth: true
        font.pixelSize: 12
        color: root.Material.secondaryTextColor
        wrapMode: Text.WordWrap
        text: {
            switch (root.level) {
            case 0: return qsTr("Use at least 8 characters; a few unrelated words work well.")
            case 1: return qsTr("Strength: weak")
            case 2: return qsTr("Strength: fair")
            case 3: return qsTr("Strength: good")
            default: return qsTr("Strength: strong")
            }
        }
    }
}
