// Hive's mark: three honeycomb cells. Each hexagon is the union of three rectangles turned
// by 0, 60 and 120 degrees, so no image file, icon font or Canvas (whose backing image Qt
// 6.4 does not always free) is needed.
import QtQuick
import QtQuick.Controls.Material

Item {
    id: logo

    property color color: Material.accent

    implicitWidth: 64
    implicitHeight: 64
    Accessible.role: Accessible.Graphic
    Accessible.name: qsTr("Hive logo")

    // Cell radius and the centres of the three cells, relative to the item's size.
    readonly property real cell: Math.min(width, height) * 0.22
    readonly property var centres: [[0.5 - 0.245, 0.62], [0.5 + 0.245, 0.62], [0.5, 0.335]]

    Repeater {
        model: logo.centres
        Item {
            required property var modelData
            x: modelData[0] * logo.width
            y: modelData[1] * logo.height
            Repeater {
                model: 3
                Rectangle {
                    required property int index
                    // A flat-topped hexagon of radius r spans r x r*sqrt(3) in each of
                    // these three orientations.
                    width: logo.cell
                    height: logo.cell * Math.sqrt(3)
                    x: -width / 2
                    y: -height / 2
                    rotation: index * 60
                    antialiasing: true
                    color: logo.color
                }
            }
        }
    }
}
