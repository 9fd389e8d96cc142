// How far a contact's key is trusted, shown wherever a contact appears: a coloured pill
// with a symbol and a word, so it reads without colour too.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

Rectangle {
    id: badge

    // "verified-in-person", "verified-by-safety-number" or "unverified".
    property string trust: "unverified"
    // "active", "pending-request" or "key-changed" (which overrides the trust level).
    property string contactState: "active"
    property bool compact: false

    readonly property bool keyChanged: contactState === "key-changed"
    readonly property color tone: keyChanged ? Material.color(Material.Red)
                                : trust === "verified-in-person" ? Material.color(Material.Green, Material.Shade700)
                                : trust === "verified-by-safety-number" ? Material.color(Material.Teal, Material.Shade600)
                                : Material.color(Material.Grey, Material.Shade600)

    implicitWidth: label.implicitWidth + 16
    implicitHeight: label.implicitHeight + 6
    radius: height / 2
    color: Qt.rgba(tone.r, tone.g, tone.b, 0.14)
    border.color: tone
    border.width: 1
    Accessible.role: Accessible.StaticText
    Accessible.name: label.text

    Label {
        id: label
        anchors.centerIn: parent
        font.pixelSize: badge.compact ? 11 : 12
        font.bold: true
        color: badge.tone
        text: badge.keyChanged ? "⚠ " + qsTr("Key changed")
            : badge.contactState === "pending-request" ? "… " + qsTr("Request pending")
            : badge.trust === "verified-in-person" ? "✓ " + (badge.compact ? qsTr("In person") : qsTr("Verified in person"))
            : badge.trust === "verified-by-safety-number" ? "✓ " + (badge.compact ? qsTr("Safety number") : qsTr("Verified by safety number"))
            : "○ " + qsTr("Unverified")
    }
}
