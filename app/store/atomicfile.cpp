#include "store/atomicfile.h"

#include <QSaveFile>
#include <stdexcept>

namespace kp {

void writeFileAtomically(const std::string &path, const std::string &bytes)
{
    QSaveFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly))
        throw std::runtime_error(path + ": cannot open the file for writing");
    const bool written = file.write(bytes.data(), qint64(bytes.size())) == qint64(bytes.size());
    if (!written || !file.commit())
        throw std::runtime_error(path + ": writing failed");
}

} // namespace kp
