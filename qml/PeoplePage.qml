// "People": everyone this profile knows, with how far each key is trusted, a banner for
// every changed key (nothing is sent until the person decides), and per contact the
// safety number to compare in person or over another channel.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Item {
    id: root

    required property QtObject controller
    readonly property QtObject trust: controller.trust
    readonly property bool narrow: width < 720
    // The selected contact's model roles, or null.
    property var selected: null
    property var safety: null
    property string message: ""
    // "NAME" selects that person, "share:NAME" also opens Share resources (start page
    // "people/share:NAME", used for screenshots and links).
    property string pageArgument: ""

    signal openRequested(string page)

    function select(entry) {
        selected = entry
        safety = entry ? trust.safetyNumber(entry.contactId) : null
        message = ""
    }
    // After a change the model is rebuilt: pick the same contact again by id.
    function reselect() {
        if (!selected)
            return
        const id = selected.contactId
        for (let i = 0; i < contactRepeater.count; ++i) {
            const item = contactRepeater.itemAt(i)
            if (item && item.entry.contactId === id) {
                select(item.entry)
                return
            }
        }
        select(null)
    }

    // Side by side there is room for the details: show the first contact's at once.
    function selectDefault() {
        if (narrow || selected !== null || contactRepeater.count === 0)
            return
        const first = contactRepeater.itemAt(0)
        if (first)
            select(first.entry)
    }
    function applyPageArgument() {
        if (pageArgument.length === 0)
            return
        const share = pageArgument.startsWith("share:")
        const name = share ? pageArgument.slice(6) : pageArgument
        for (let i = 0; i < contactRepeater.count; ++i) {
            const item = contactRepeater.itemAt(i)
            if (item && item.entry.name === name) {
                select(item.entry)
                if (share) {
                    shareDialog.contactId = item.entry.contactId
                    shareDialog.contactName = item.entry.name
                    shareDialog.open()
                }
                pageArgument = ""
                return
            }
        }
    }
    Component.onCompleted: applyPageArgument()

    onNarrowChanged: selectDefault()
    onWidthChanged: selectDefault()

    Connections {
        target: root.trust
        function onContactsChanged() { root.reselect() }
    }


    Label {
        anchors.centerIn: parent
        visible: !root.trust
        text: qsTr("Contacts are not available for this profile.")
    }

    RowLayout {
        anchors.fill: parent
        visible: !!root.trust
        spacing: 0

        // The list (hidden on narrow windows while a contact is open).
        ScrollView {
            id: listView
            Layout.fillHeight: true
            Layout.preferredWidth: root.narrow ? root.width : 400
            visible: !root.narrow || root.selected === null
            contentWidth: availableWidth
            clip: true

            ColumnLayout {
                width: listView.availableWidth
                spacing: 8

                Item { Layout.preferredHeight: 8 }

                // Changed keys first: they block sending until decided.
                Repeater {
                    model: root.trust ? root.trust.contacts : null
                    Rectangle {
                        required property var model
                        objectName: "keyChangeBanner"
                        Layout.fillWidth: true
                        Layout.leftMargin: 16
                        Layout.rightMargin: 16
                        visible: model.contactState === "key-changed"
                        implicitHeight: visible ? bannerColumn.implicitHeight + 24 : 0
                        radius: 8
                        readonly property color tone: root.Material.color(Material.Red)
                        color: Qt.rgba(tone.r, tone.g, tone.b, 0.10)
                        border.color: tone
                        ColumnLayout {
                            id: bannerColumn
                            anchors.fill: parent
                            anchors.margins: 12
                            spacing: 6
                            Label {
                                Layout.fillWidth: true
                                wrapMode: Text.WordWrap
                                font.bold: true
                                color: parent.parent.tone
                                text: qsTr("%1's key has changed").arg(model.name)
                            }
                            Label {
                                Layout.fillWidth: true
                                wrapMode: Text.WordWrap
                                text: qsTr("Nothing is sent to %1 until you decide. Accept only if %1 told you they set up Hive again.").arg(model.name)
                            }
                            Label {
                                Layout.fillWidth: true
                                wrapMode: Text.WrapAnywhere
                                font.family: "DejaVu Sans Mono"
                                font.pixelSize: 12
                                text: qsTr("old: %1").arg(model.fingerprint) + "\n" + qsTr("new: %1").arg(model.pendingFingerprint)
                            }
                            // Wraps when the translated buttons do not fit side by side.
                            Flow {
                                Layout.fillWidth: true
                                spacing: 8
                                Button {
                                    text: qsTr("Accept new key")
                                    onClicked: root.message = root.trust.acceptKeyChange(model.contactId)
                                }
                                Button {
                                    flat: true
                                    text: qsTr("Keep old key")
                                    onClicked: root.message = root.trust.declineKeyChange(model.contactId)
                                }
                            }
                        }
                    }
                }

                // Friend requests: the person is known only once accepted.
                Repeater {
                    model: root.trust ? root.trust.contacts : null
                    Rectangle {
                        required property var model
                        objectName: "requestBanner_" + model.name
                        Layout.fillWidth: true
                        Layout.leftMargin: 16
                        Layout.rightMargin: 16
                        visible: model.contactState === "pending-request"
                        implicitHeight: visible ? requestColumn.implicitHeight + 24 : 0
                        radius: 8
                        readonly property color tone: root.Material.accent
                        color: Qt.rgba(tone.r, tone.g, tone.b, 0.10)
                        border.color: tone
                        ColumnLayout {
                            id: requestColumn
                            anchors.fill: parent
                            anchors.margins: 12
                            spacing: 6
                            Label {
                                Layout.fillWidth: true
                                wrapMode: Text.WordWrap
                                font.bold: true
                                text: qsTr("%1 wants to be your friend").arg(model.name)
                            }
                            Label {
                                Layout.fillWidth: true
                                wrapMode: Text.WrapAnywhere
                                font.family: "DejaVu Sans Mono"
                                font.pixelSize: 12
                                text: model.fingerprint
                            }
                            Flow {
                                Layout.fillWidth: true
                                spacing: 8
                                Button {
                                    objectName: "acceptRequest"
                                    highlighted: true
                                    text: qsTr("Accept")
                                    onClicked: root.message = root.trust.acceptRequest(model.contactId)
                                }
                                Button {
                                    flat: true
                                    text: qsTr("Decline")
                                    onClicked: root.message = root.trust.declineRequest(model.contactId)
                                }
                            }
                        }
                    }
                }

                // Nobody yet.
                ColumnLayout {
                    objectName: "noContacts"
                    Layout.fillWidth: true
                    Layout.margins: 24
                    visible: root.trust && root.trust.contacts.count === 0
                    spacing: 12
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("No contacts yet")
                        font.pixelSize: 20
                        font.bold: true
                    }
                    Label {
                        Layout.fillWidth: true
                        wrapMode: Text.WordWrap
                        text: qsTr("Meet a friend and scan each other's codes, or send them your link.")
                    }
                    Flow {
                        Layout.fillWidth: true
                        spacing: 8
                        Button {
                            text: qsTr("Show my code")
                            highlighted: true
                            onClicked: root.openRequested("mycode")
                        }
                        Button {
                            text: qsTr("Scan a code")
                            onClicked: root.openRequested("scan")
                        }
                    }
                }

                Repeater {
                    id: contactRepeater
                    model: root.trust ? root.trust.contacts : null
                    onCountChanged: {
                        root.applyPageArgument()
                        root.selectDefault()
                    }
                    ItemDelegate {
                        id: row
                        required property var model
                        readonly property var entry: ({ contactId: model.contactId, name: model.name,
                                                         trust: model.trust, contactState: model.contactState,
                                                         fingerprint: model.fingerprint, node: model.node })
                        objectName: "contact_" + model.name
                        Layout.fillWidth: true
                        implicitHeight: rowContent.implicitHeight + 20
                        background: Rectangle {
                            color: root.selected && root.selected.contactId === row.model.contactId
                                   ? Qt.rgba(0.5, 0.5, 0.5, 0.18)
                                   : row.hovered ? Qt.rgba(0.5, 0.5, 0.5, 0.08) : "transparent"
                        }
                        onClicked: root.select(entry)
                        contentItem: RowLayout {
                            id: rowContent
                            spacing: 12
                            Rectangle {
                                Layout.preferredWidth: 40
                                Layout.preferredHeight: 40
                                Layout.alignment: Qt.AlignTop
                                radius: 20
                                color: root.Material.primary
                                Label {
                                    anchors.centerIn: parent
                                    text: row.model.name.length > 0 ? row.model.name[0].toUpperCase() : "?"
                                    color: "#ffffff"
                                    font.bold: true
                                    font.pixelSize: 18
                                }
                            }
                            ColumnLayout {
                                Layout.fillWidth: true
                                spacing: 4
                                RowLayout {
                                    Layout.fillWidth: true
                                    Label {
                                        Layout.fillWidth: true
                                        text: row.model.name
                                        font.bold: true
                                        font.pixelSize: 16
                                        elide: Text.ElideRight
                                    }
                                    TrustBadge {
                                        trust: row.model.trust
                                        contactState: row.model.contactState
                                        compact: true
                                    }
                                }
                                Label {
                                    Layout.fillWidth: true
                                    text: row.model.fingerprint
                                    font.family: "DejaVu Sans Mono"
                                    font.pixelSize: 12
                                    color: root.Material.secondaryTextColor
                                    elide: Text.ElideRight
                                }
                            }
                        }
                    }
                }
            }
        }

        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            visible: !root.narrow
            color: root.Material.dividerColor
        }

        // The selected contact.
        CenteredColumn {
            objectName: "contactDetails"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: root.selected !== null || !root.narrow
            maxWidth: 560
            centerVertically: false

            Label {
                Layout.fillWidth: true
                visible: root.selected === null
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                color: root.Material.secondaryTextColor
                text: root.trust && root.trust.contacts.count > 0 ? qsTr("Choose a person to see their safety number.") : ""
            }

            Button {
                Layout.leftMargin: -8
                visible: root.narrow && root.selected !== null
                flat: true
                text: "‹ " + qsTr("People")
                onClicked: root.select(null)
            }

            ColumnLayout {
                Layout.fillWidth: true
                visible: root.selected !== null
                spacing: 8

                Label {
                    Layout.fillWidth: true
                    text: root.selected ? root.selected.name : ""
                    font.pixelSize: 26
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                TrustBadge {
                    objectName: "detailBadge"
                    trust: root.selected ? root.selected.trust : "unverified"
                    contactState: root.selected ? root.selected.contactState : "active"
                }
                Label {
                    Layout.topMargin: 8
                    text: qsTr("Fingerprint")
                    font.pixelSize: 12
                    font.bold: true
                    color: root.Material.secondaryTextColor
                }
                Label {
                    Layout.fillWidth: true
                    text: root.selected ? root.selected.fingerprint : ""
                    font.family: "DejaVu Sans Mono"
                    wrapMode: Text.WrapAnywhere
                }
                Label {
                    text: qsTr("Node")
                    font.pixelSize: 12
                    font.bold: true
                    color: root.Material.secondaryTextColor
                }
                Label {
                    Layout.fillWidth: true
                    text: root.selected && root.selected.node.length > 0 ? root.selected.node : qsTr("not known yet")
                    font.pixelSize: 12
                    wrapMode: Text.WrapAnywhere
                }

                Card {
                    Layout.fillWidth: true
                    Layout.topMargin: 12
                    visible: root.safety !== null && root.safety.ok === true
                    GridLayout {
                        id: safetyGrid
                        anchors.fill: parent
                        // The QR code goes beside the digits only when both fit.
                        columns: width >= 480 ? 2 : 1
                        columnSpacing: 20
                        rowSpacing: 12
                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: 8
                            Label {
                                text: qsTr("Safety number")
                                font.bold: true
                            }
                            Grid {
                                objectName: "safetyDigits"
                                columns: 4
                                columnSpacing: 14
                                rowSpacing: 6
                                Repeater {
                                    model: root.safety && root.safety.ok ? root.safety.groups : []
                                    Label {
                                        required property string modelData
                                        text: modelData
                                        font.family: "DejaVu Sans Mono"
                                        font.pixelSize: 18
                                    }
                                }
                            }
                            Label {
                                Layout.fillWidth: true
                                wrapMode: Text.WordWrap
                                font.pixelSize: 12
                                color: root.Material.secondaryTextColor
                                text: root.selected ? qsTr("Compare these digits with the ones %1 sees, in person or on a call. If they match, nobody is in between.").arg(root.selected.name) : ""
                            }
                        }
                        Rectangle {
                            Layout.alignment: Qt.AlignHCenter | Qt.AlignTop
                            Layout.preferredWidth: 204
                            Layout.preferredHeight: 204
                            color: "#ffffff"
                            radius: 6
                            Image {
                                readonly property int modules: root.safety && root.safety.ok ? Math.max(1, root.safety.modules) : 1
                                anchors.centerIn: parent
                                width: modules * Math.max(1, Math.floor(200 / modules))
                                height: width
                                source: root.safety && root.safety.ok ? root.safety.image : ""
                                smooth: false
                                Accessible.role: Accessible.Graphic
                                Accessible.name: qsTr("QR code of the safety number")
                            }
                        }
                    }
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: 8
                    visible: root.selected !== null && root.selected.contactState !== "key-changed"
                    Button {
                        objectName: "shareResources"
                        visible: root.selected !== null && root.selected.contactState === "active"
                        text: qsTr("Share resources")
                        onClicked: {
                            shareDialog.contactId = root.selected.contactId
                            shareDialog.contactName = root.selected.name
                            shareDialog.open()
                        }
                    }
                    Button {
                        objectName: "confirmSafetyNumber"
                        visible: root.selected !== null && root.selected.trust === "unverified"
                        text: qsTr("The numbers match")
                        highlighted: true
                        onClicked: root.message = root.trust.confirmSafetyNumber(root.selected.contactId)
                    }
                }
                Label {
                    Layout.fillWidth: true
                    visible: root.message.length > 0
                    wrapMode: Text.WordWrap
                    color: root.Material.color(Material.Red)
                    text: root.message
                }
            }
        }
    }

    ShareResourcesDialog {
        id: shareDialog
        parent: Overlay.overlay
        trust: root.trust
    }
}
