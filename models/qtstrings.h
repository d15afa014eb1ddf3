#pragma once

// The one conversion between the models' strings (std::string, UTF-8) and Qt's QString, for every layer.

#include <QString>
#include <string>

namespace kp {

inline QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

inline std::string str(const QString &s)
{
    return s.toStdString();
}

} // namespace kp
