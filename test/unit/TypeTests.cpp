#include "aggregates/Aggregate.h"
#include "sema/Builtins.h"
#include "sema/Type.h"

#include <gtest/gtest.h>

using namespace streamc;

TEST(Type, UnifiesNumericAndNull) {
  EXPECT_EQ(*unifyTypes(Type::i64(), Type::f64()), Type::f64());
  EXPECT_EQ(*unifyTypes(Type::i64(), Type::null()), Type::i64(true));
  EXPECT_EQ(*unifyTypes(Type::string(true), Type::string()), Type::string(true));
  EXPECT_FALSE(unifyTypes(Type::string(), Type::i64()).has_value());
  EXPECT_FALSE(unifyTypes(Type::timestamp(), Type::duration()).has_value());
  EXPECT_EQ(Type::string(true).str(), "string?");
}

TEST(Builtins, TypesCallsWithNullability) {
  const Builtin *len = findScalarBuiltin("len");
  ASSERT_NE(len, nullptr);
  EXPECT_EQ(typeBuiltinCall(*len, {Type::string(true)}).type, Type::i64(true));
  auto bad = typeBuiltinCall(*len, {Type::i64()});
  EXPECT_EQ(bad.badArg, 0);
  EXPECT_EQ(bad.error, "argument 1 of 'len' must be a string, found i64");

  const Builtin *coalesce = findScalarBuiltin("coalesce");
  EXPECT_EQ(typeBuiltinCall(*coalesce, {Type::string(true), Type::string()}).type, Type::string());
  EXPECT_EQ(typeBuiltinCall(*coalesce, {Type::i64(true), Type::f64(true)}).type, Type::f64(true));

  const Builtin *i64 = findScalarBuiltin("i64");
  EXPECT_EQ(typeBuiltinCall(*i64, {Type::string()}).type, Type::i64(true)); // may not parse
  EXPECT_EQ(typeBuiltinCall(*i64, {Type::f64()}).type, Type::i64());
}

TEST(Aggregates, RegistryTypesCallsAndKeepsScalarMinMaxApart) {
  EXPECT_NE(findAggregate("min", 1), nullptr);
  EXPECT_EQ(findAggregate("min", 2), nullptr); // the scalar function
  EXPECT_NE(findAggregateNamed("count_distinct"), nullptr);
  EXPECT_EQ(findAggregateNamed("len"), nullptr);
  const AggregateFunction *sum = findAggregate("sum", 1);
  ASSERT_NE(sum, nullptr);
  EXPECT_EQ(sum->type({Type::i64()}).type, Type::i64());
  EXPECT_EQ(sum->type({Type::duration()}).type, Type::duration());
  EXPECT_EQ(sum->type({Type::string()}).error,
            "argument 1 of 'sum' must be a number or a duration, found string");
  const AggregateFunction *stddev = findAggregate("stddev", 1);
  EXPECT_EQ(stddev->type({Type::i64()}).type, Type::f64(true));
  const AggregateFunction *percentile = findAggregate("percentile", 2);
  ASSERT_EQ(percentile->constantArgs().size(), 1u);
  EXPECT_EQ(percentile->constantArgs()[0].index, 1u);
  // Every name the registry lists finds its entry.
  for (const std::string &name : aggregateNames())
    EXPECT_STREQ(findAggregateNamed(name)->name, name.c_str());
}
