// The window's sidebar: the demo, the saved profiles, connections given on the command line and the snapshot files
// opened, each activated with Enter or a double click.
#include "ui/mainwindow.h"

#include "models/qtstrings.h"
#include "services/profileservice.h"
#include "ui/jobs.h"

#include <QFileInfo>
#include <QInputDialog>
#include <QLineEdit>
#include <QListWidget>

namespace kp {

namespace {

// A bootstrap list as its first address and how many more ("127.0.0.1:19091 +2"): elided in the middle it read
// "127.0.0.1:190...7.0.0.1:19093". The whole list is in the tooltip.
QString shortBootstrap(const std::string &bootstrap)
{
    const QStringList hosts = qs(bootstrap).split(QLatin1Char(','), Qt::SkipEmptyParts);
    return hosts.size() <= 1 ? qs(bootstrap) : QObject::tr("%1 +%2").arg(hosts.front().trimmed()).arg(hosts.size() - 1);
}

// A profile by its name (its bootstrap list in the tooltip); one made from a bare bootstrap list is named after it.
QString profileLabel(const ConnectionProfile &p)
{
    return p.name == p.bootstrap ? shortBootstrap(p.bootstrap) : qs(p.name);
}

const QString kKindDemo = QStringLiteral("demo");
const QString kKindProfile = QStringLiteral("profile");
const QString kKindFile = QStringLiteral("file");
constexpr int kKindRole = Qt::UserRole + 1;
constexpr int kValueRole = Qt::UserRole + 2;

} // namespace

void MainWindow::addDemoItem()
{
    addClusterItem(tr("Demo cluster (snapshot)"), kKindDemo, QString());
}

void MainWindow::addProfileItem(const ConnectionProfile &profile)
{
    addClusterItem(profileLabel(profile), kKindProfile, qs(profile.name),
                   tr("%1 (%2): press Enter to connect").arg(qs(profile.name), qs(profile.bootstrap)));
}

void MainWindow::addFileItem(const QString &path)
{
    addClusterItem(QFileInfo(path).fileName(), kKindFile, path);
}

void MainWindow::addClusterItem(const QString &label, const QString &kind, const QString &value, const QString &toolTip)
{
    for (int i = 0; i < m_clusters->count(); ++i) {
        auto *it = m_clusters->item(i);
        if (it->data(kKindRole).toString() == kind && it->data(kValueRole).toString() == value)
            return;
    }
    auto *item = new QListWidgetItem(label, m_clusters);
    item->setData(kKindRole, kind);
    item->setData(kValueRole, value);
    item->setToolTip(toolTip.isEmpty() ? value : toolTip);
}

void MainWindow::loadProfiles()
{
    // The store is a disk file: read it off the GUI thread.
    ui::runAsync(
        this,
        [db = m_context->storePath()]() -> std::pair<std::vector<ConnectionProfile>, QString> {
            try {
                return {ProfileService(db).list(), QString()};
            } catch (const std::exception &e) {
                return {{}, QString::fromStdString(e.what())};
            }
        },
        [this](const std::pair<std::vector<ConnectionProfile>, QString> &loaded) {
            const auto &[profiles, error] = loaded;
            if (!error.isEmpty())
                showError(tr("The profile store could not be opened: %1").arg(error));
            for (const auto &p : profiles)
                addProfileItem(p);
        });
}

// The profiles of the store now chosen: those of the one before go (profiles given on the command line stay).
void MainWindow::reloadProfiles()
{
    for (int i = m_clusters->count() - 1; i >= 0; --i) {
        QListWidgetItem *it = m_clusters->item(i);
        if (it->data(kKindRole).toString() == kKindProfile && !m_sessionProfiles.count(it->data(kValueRole).toString()))
            delete m_clusters->takeItem(i);
    }
    loadProfiles();
}

void MainWindow::activateItem(QListWidgetItem *item)
{
    const QString kind = item->data(kKindRole).toString();
    const QString value = item->data(kValueRole).toString();
    if (kind == kKindDemo) {
        showDemo();
    } else if (kind == kKindFile) {
        openSnapshotFile(value);
    } else if (kind == kKindProfile) {
        if (const auto given = m_sessionProfiles.find(value); given != m_sessionProfiles.end()) {
            connectTo(given->second); // given on the command line, not stored
            return;
        }
        const std::string name = value.toStdString();
        using Found = std::pair<std::optional<ConnectionProfile>, QString>;
        auto find = [name, db = m_context->storePath()]() -> Found {
            try {
                return {ProfileService(db).find(name, true), QString()};
            } catch (const std::exception &e) {
                return {std::nullopt, QString::fromStdString(e.what())};
            }
        };
        ui::runAsync(this, std::move(find), [this, value](Found found) {
            auto &[profile, error] = found;
            if (!profile) {
                showError(error.isEmpty() ? tr("Profile %1 no longer exists.").arg(value) : error);
                return;
            }
            if (profile->needsPassword()) {
                if (auto it = m_sessionPasswords.find(profile->name); it != m_sessionPasswords.end())
                    profile->password = it->second;
            }
            if (profile->needsPassword()) {
                bool ok = false;
                // No keyring answered: ask, and keep the answer in memory only.
                const QString pw = QInputDialog::getText(this, tr("Password"),
                                                         tr("Password for %1 on %2:").arg(qs(profile->username), value),
                                                         QLineEdit::Password, QString(), &ok);
                if (!ok)
                    return;
                profile->password = pw.toStdString();
                m_sessionPasswords[profile->name] = profile->password;
            }
            connectTo(*profile);
        });
    }
}

} // namespace kp
