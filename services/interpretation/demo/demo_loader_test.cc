// The demo content is what the rules accept: nine sections complete (INT-2), the plan
// and materials complete (INT-3), every field within its limits.
#include "services/interpretation/demo/demo_loader.h"

#include "gtest/gtest.h"
#include "services/interpretation/interpretation_rules.h"

namespace gongkai::interpretation::demo {
namespace {

TEST(DemoContentTest, IsValidAndApprovable) {
  v1::Interpretation content = DemoContent("南宁市人民政府关于调整高龄津贴发放标准的通知", 42);
  FieldViolations v;
  ValidateContent(v, content, "");
  EXPECT_TRUE(v.empty()) << v.ToStatus();
  EXPECT_TRUE(CheckApprovable(content).ok()) << CheckApprovable(content);
  EXPECT_EQ(content.document_id(), 42);
}

}  // namespace
}  // namespace gongkai::interpretation::demo
