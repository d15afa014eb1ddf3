#include "models/atomicfile.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <stdexcept>

namespace kp {

namespace {

// A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written into as it is: a temporary file renamed over it
// would replace the device itself (as root, `--output /dev/null` left a regular file at /dev/null).
bool isDeviceOrPipe(const QString &path)
{
    const QFileInfo info(path); // follows symbolic links
    return info.exists() && !info.isFile() && !info.isDir();
}

} // namespace

void writeFileAtomically(const std::string &path, const std::string &bytes)
{
    const QString name = QString::fromStdString(path);
    if (isDeviceOrPipe(name)) {
        QFile device(name);
        if (!device.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
            throw std::runtime_error(path + ": cannot open the file for writing");
        if (device.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size()))
            throw std::runtime_error(path + ": writing failed");
        return;
    }
    QSaveFile file(name);
    if (!file.open(QIODevice::WriteOnly))
        throw std::runtime_error(path + ": cannot open the file for writing");
    const bool written = file.write(bytes.data(), qint64(bytes.size())) == qint64(bytes.size());
    if (!written || !file.commit())
        throw std::runtime_error(path + ": writing failed");
}

} // namespace kp
