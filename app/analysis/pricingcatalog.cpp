#include "analysis/pricingcatalog.h"

#include "models/formaterror.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace kp {

std::vector<std::string> bundledPricingNames()
{
    std::vector<std::string> names;
    for (const QString &f : QDir(QStringLiteral(":/pricing")).entryList({QStringLiteral("*.json")}, QDir::Files))
        names.push_back(QFileInfo(f).completeBaseName().toStdString());
    return names;
}

PricingProfile loadPricing(const std::string &nameOrPath)
{
    const QString path = QString::fromStdString(nameOrPath);
    if (QFileInfo::exists(path) && !path.startsWith(QLatin1Char(':')))
        return loadPricingFile(nameOrPath);
    QFile bundled(QStringLiteral(":/pricing/%1.json").arg(path));
    if (!bundled.open(QIODevice::ReadOnly)) {
        std::string known;
        for (const auto &n : bundledPricingNames())
            known += (known.empty() ? "" : ", ") + n;
        throw FormatError("pricing '" + nameOrPath + "': no such file, and not a bundled profile (" +
                          (known.empty() ? std::string("none bundled in this build") : known) + ")");
    }
    try {
        return pricingFromJson(bundled.readAll().toStdString());
    } catch (const FormatError &e) {
        throw FormatError("bundled pricing " + nameOrPath + ": " + e.what());
    }
}

} // namespace kp
