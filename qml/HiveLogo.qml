// Hive's mark: three honeycomb cells, drawn so no image file or icon font is needed.
import QtQuick
import QtQuick.Controls.Material

Canvas {
    id: logo

    property color color: Material.accent

    implicitWidth: 64
    implicitHeight: 64
    onColorChanged: requestPaint()
    onWidthChanged: requestPaint()
    onHeightChanged: requestPaint()
    Accessible.role: Accessible.Graphic
    Accessible.name: qsTr("Hive logo")

    onPaint: {
        const ctx = getContext("2d")
        ctx.reset()
        const s = Math.min(width, height)
        // Three flat-topped hexagons of radius r arranged in a triangle.
        const r = s * 0.24
        const h = Math.sqrt(3) / 2 * r
        const cx = width / 2
        const cy = height / 2
        const cells = [[cx - 1.5 * r * 0.68, cy + h * 0.68], [cx + 1.5 * r * 0.68, cy + h * 0.68],
                       [cx, cy - h * 0.68 * 1.05]]
        ctx.fillStyle = logo.color
        for (let i = 0; i < cells.length; ++i) {
            ctx.beginPath()
            for (let k = 0; k < 6; ++k) {
                const a = Math.PI / 3 * k
                const px = cells[i][0] + r * 0.92 * Math.cos(a)
                const py = cells[i][1] + r * 0.92 * Math.sin(a)
                if (k === 0)
                    ctx.moveTo(px, py)
                else
                    ctx.lineTo(px, py)
            }
            ctx.closePath()
            ctx.fill()
        }
    }
}
