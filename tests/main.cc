// The Catch2 test runner for every unit, golden and CLI-level test.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
