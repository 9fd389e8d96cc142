// "My code": the person's contact card as a large QR code for a friend to scan, with the
// fingerprint to compare and the same card as a link to send. Each code carries a fresh
// single-use invite.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Item {
    id: root

    required property QtObject controller
    readonly property QtObject trust: controller.trust
    readonly property bool narrow: width < 720
    property string errorText: ""
    property bool copied: false

    Component.onCompleted: {
        if (trust && trust.myCardLink.length === 0)
            errorText = trust.newCard()
    }

    Label {
        anchors.centerIn: parent
        visible: !root.trust
        text: qsTr("Contacts are not available for this profile.")
    }

    CenteredColumn {
        anchors.fill: parent
        visible: !!root.trust
        maxWidth: root.narrow ? 520 : 960
        centerVertically: !root.narrow

        GridLayout {
            Layout.fillWidth: true
            columns: root.narrow ? 1 : 2
            columnSpacing: 32
            rowSpacing: 16

            // The code itself: white with a quiet zone in any theme, so cameras read it.
            Rectangle {
                id: codeFrame
                objectName: "myCode"
                readonly property real side: root.narrow ? Math.min(root.width - 48, 420)
                                                         : Math.min(440, root.height - 96)
                Layout.alignment: Qt.AlignHCenter | Qt.AlignTop
                Layout.preferredWidth: side
                Layout.preferredHeight: side
                color: "#ffffff"
                radius: 8
                border.color: root.Material.dividerColor
                Image {
                    // One pixel per module, scaled by a whole number: every module gets the
                    // same size and sharp edges, which is what a camera looks for.
                    readonly property int modules: root.trust ? Math.max(1, root.trust.myCodeModules) : 1
                    readonly property int scale: Math.max(1, Math.floor((codeFrame.side - 8) / modules))
                    anchors.centerIn: parent
                    width: modules * scale
                    height: modules * scale
                    source: root.trust ? root.trust.myCodeImage : ""
                    smooth: false
                    mipmap: false
                    Accessible.role: Accessible.Graphic
                    Accessible.name: qsTr("QR code of your contact card")
                }
            }

            ColumnLayout {
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignTop
                spacing: 8

                Label {
                    Layout.fillWidth: true
                    text: root.trust ? root.trust.displayName : ""
                    font.pixelSize: 26
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: qsTr("Let a friend scan this code with Hive. You both end up verified in person.")
                }
                Label {
                    Layout.topMargin: 8
                    text: qsTr("Fingerprint")
                    font.pixelSize: 12
                    font.bold: true
                    color: root.Material.secondaryTextColor
                }
                Label {
                    objectName: "myFingerprint"
                    Layout.fillWidth: true
                    text: root.trust ? root.trust.fingerprint : ""
                    font.family: "DejaVu Sans Mono"
                    font.pixelSize: 15
                    wrapMode: Text.WrapAnywhere
                }
                Label {
                    Layout.fillWidth: true
                    Layout.topMargin: 8
                    wrapMode: Text.WordWrap
                    font.pixelSize: 12
                    color: root.Material.secondaryTextColor
                    text: root.trust ? qsTr("This code admits one friend request and expires on %1.").arg(root.trust.myCardExpires) : ""
                }
                Label {
                    Layout.fillWidth: true
                    visible: root.trust && !root.trust.myCardHasNode
                    wrapMode: Text.WordWrap
                    font.pixelSize: 12
                    color: root.Material.color(Material.Orange, Material.Shade800)
                    text: qsTr("Your personal node is not known yet, so friend requests cannot reach you. Open Settings to choose or start a node.")
                }
                Label {
                    Layout.fillWidth: true
                    visible: root.errorText.length > 0
                    wrapMode: Text.WordWrap
                    color: root.Material.color(Material.Red)
                    text: root.errorText
                }
                Flow {
                    Layout.fillWidth: true
                    Layout.topMargin: 8
                    spacing: 8
                    Button {
                        objectName: "copyLink"
                        text: root.copied ? qsTr("Link copied") : qsTr("Copy link")
                        highlighted: true
                        enabled: !!root.trust && root.trust.myCardLink.length > 0
                        onClicked: {
                            root.trust.copyText(root.trust.myCardLink)
                            root.copied = true
                        }
                    }
                    Button {
                        flat: true
                        text: qsTr("New code")
                        onClicked: {
                            root.errorText = root.trust.newCard()
                            root.copied = false
                        }
                    }
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    font.pixelSize: 12
                    color: root.Material.secondaryTextColor
                    text: qsTr("People who add you from a link start as unverified until you compare safety numbers.")
                }
            }
        }
    }
}
