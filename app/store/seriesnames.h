#pragma once

#include "models/internedstring.h"

#include <cstdint>
#include <tuple>
#include <vector>

namespace kp {

// A series of the sample store: group ("" for a partition's end offsets), topic, partition.
using SeriesName = std::tuple<InternedString, InternedString, int32_t>;

// The names of a cluster's series by id, in a table indexed by id: the ids are the store's row ids, so a cluster's
// series are numbered closely. With 2,000 groups of 100 partitions (250,000 series) a map of them took 37 MB while a
// window was read; the table takes 24 bytes a series.
class SeriesNames
{
public:
    static constexpr size_t npos = size_t(-1);

    // Room for ids first..last, added in any order after it. The store gives its rows in the order of its unique
    // index (group, topic, partition), not by id: without the room, each id below the first row's would move the
    // table.
    void reserve(uint32_t first, uint32_t last)
    {
        if (!m_names.empty() || last < first)
            return;
        m_first = first;
        m_names.resize(size_t(last - first) + 1);
    }
    void add(uint32_t id, SeriesName name)
    {
        if (m_names.empty())
            m_first = id;
        if (id < m_first) { // below the room reserved (or none was): the table grows at its front
            m_names.insert(m_names.begin(), size_t(m_first - id), SeriesName{});
            m_first = id;
        }
        if (size_t(id - m_first) >= m_names.size())
            m_names.resize(size_t(id - m_first) + 1);
        m_names[id - m_first] = std::move(name);
    }
    // Where the series' name is in the table, npos when it is outside; slot(id) < tableSize() for every id added.
    size_t slot(uint32_t id) const
    {
        return id >= m_first && size_t(id - m_first) < m_names.size() ? size_t(id - m_first) : npos;
    }
    size_t tableSize() const { return m_names.size(); }
    // The series' name, or null when the cluster has no series of that id.
    const SeriesName *find(uint32_t id) const
    {
        const size_t at = slot(id);
        return at == npos || std::get<1>(m_names[at]).empty() ? nullptr : &m_names[at]; // every series has a topic
    }
    bool empty() const { return m_names.empty(); }
    // fn(id, name) for every series, in id order.
    template <typename Fn> void forEach(Fn &&fn) const
    {
        for (size_t i = 0; i < m_names.size(); ++i)
            if (!std::get<1>(m_names[i]).empty())
                fn(uint32_t(m_first + i), m_names[i]);
    }
    void clear() { *this = SeriesNames{}; } // its memory too

private:
    uint32_t m_first = 0;
    std::vector<SeriesName> m_names;
};

} // namespace kp
