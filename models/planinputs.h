#pragma once

#include <string>
#include <string_view>

// The numbers a plan and its scenarios take, each with its range, in one table: the command line, workload, scenario
// and plan files and the Planner form all check through it, so that no NaN, infinity, overflow, negative or fractional
// count reaches the cost model (which would print "inf USD/month" or "-2147483648 partitions").
namespace kp {

struct NumberField
{
    const char *key;    // camelCase, as in workload, scenario and plan files
    const char *option; // the command line's option, without "--"
    double min;
    double max;
    bool minExcluded; // "more than min" rather than "at least min"
    bool whole;       // a count: no fraction
};

// By file key or option name; null for a name that is not a checked number.
const NumberField *numberField(std::string_view keyOrOption);

// Empty when `value` fits the field, else what it must be ("must be a whole number from 1 to 100").
std::string checkNumber(const NumberField &field, double value);

// The same for a field by name; throws std::logic_error for a name the table does not hold.
std::string checkNumber(std::string_view keyOrOption, double value);

} // namespace kp
