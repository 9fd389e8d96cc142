// One entry of the navigation list: a round badge, a title and an optional status line.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

ItemDelegate {
    id: item

    property string subtitle: ""
    property string letter: ""
    property bool selected: false
    // Draws attention to an entry whose plugin failed or misses a dependency.
    property bool warning: false

    highlighted: selected
    // A plain fill instead of Material's ripple, which the software renderer draws
    // unclipped (see Card.qml).
    background: Rectangle {
        color: item.selected ? Qt.rgba(0.5, 0.5, 0.5, 0.18)
             : item.down ? Qt.rgba(0.5, 0.5, 0.5, 0.14)
             : item.hovered ? Qt.rgba(0.5, 0.5, 0.5, 0.08) : "transparent"
    }
    implicitHeight: Math.max(56, content.implicitHeight + 16)
    Accessible.name: subtitle.length > 0 ? text + ", " + subtitle : text

    contentItem: RowLayout {
        id: content
        spacing: 12

        Rectangle {
            Layout.preferredWidth: 32
            Layout.preferredHeight: 32
            radius: 16
            color: item.warning ? item.Material.color(Material.Red)
                                : item.selected ? item.Material.accent : item.Material.primary
            Label {
                anchors.centerIn: parent
                text: item.warning ? "!" : item.letter.toUpperCase()
                color: item.selected && !item.warning && item.Material.theme === Material.Dark
                       ? "#000000" : "#ffffff"
                font.bold: true
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Label {
                Layout.fillWidth: true
                text: item.text
                elide: Text.ElideRight
                font.bold: item.selected
            }
            Label {
                Layout.fillWidth: true
                visible: item.subtitle.length > 0
                text: item.subtitle
                elide: Text.ElideRight
                font.pixelSize: 12
                color: item.warning ? item.Material.color(Material.Red) : item.Material.secondaryTextColor
            }
        }
    }
}
