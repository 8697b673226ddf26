#include "libs/directory/unit_directory.h"

#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "libs/auth/jwt_authenticator.h"

namespace gongkai::directory {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";

catalog::v1::Unit MakeUnit(int64_t id, int64_t parent, catalog::v1::UnitLevel level) {
  catalog::v1::Unit unit;
  unit.set_id(id);
  unit.set_code(absl::StrCat("U", id));
  unit.set_name(absl::StrCat("Unit ", id));
  unit.set_level(level);
  unit.set_parent_id(parent);
  return unit;
}

// The catalog's ListUnits, two units per page, admitting only the SERVICE principal.
class FakeCatalog final : public catalog::v1::CatalogService::Service {
 public:
  explicit FakeCatalog(const auth::Authenticator* verifier) : verifier_(verifier) {}

  grpc::Status ListUnits(grpc::ServerContext* context, const catalog::v1::ListUnitsRequest* request,
                         catalog::v1::ListUnitsResponse* response) override {
    absl::StatusOr<auth::Principal> caller = verifier_->Authenticate(*context);
    if (!caller.ok() || !caller->roles.Contains(auth::Role::kService)) {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "service principal expected");
    }
    absl::MutexLock lock(&mu_);
    ++calls_;
    if (down_) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "catalog down");
    const size_t start = request->page_token().empty() ? 0 : std::stoul(request->page_token());
    for (size_t i = start; i < units_.size() && i < start + 2; ++i) {
      *response->add_units() = units_[i];
    }
    if (start + 2 < units_.size()) response->set_next_page_token(std::to_string(start + 2));
    return grpc::Status::OK;
  }

  void Add(catalog::v1::Unit unit) {
    absl::MutexLock lock(&mu_);
    units_.push_back(std::move(unit));
  }
  void SetDown(bool down) {
    absl::MutexLock lock(&mu_);
    down_ = down;
  }
  int calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  const auth::Authenticator* verifier_;
  absl::Mutex mu_;
  std::vector<catalog::v1::Unit> units_ ABSL_GUARDED_BY(mu_);
  bool down_ ABSL_GUARDED_BY(mu_) = false;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

class UnitDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auth::AuthConfig config;
    config.hs256_secret = kSecret;
    config.issuer = "gongkai-dev";
    config.audience = "gongkai";
    verifier_ = *auth::NewJwtAuthenticator(config, clock_);
    catalog_ = std::make_unique<FakeCatalog>(verifier_.get());
    for (auto [id, parent, level] :
         std::vector<std::tuple<int64_t, int64_t, catalog::v1::UnitLevel>>{
             {1, 0, catalog::v1::UNIT_LEVEL_CITY},
             {2, 1, catalog::v1::UNIT_LEVEL_DEPARTMENT},
             {3, 1, catalog::v1::UNIT_LEVEL_COUNTY},
             {4, 3, catalog::v1::UNIT_LEVEL_DEPARTMENT},
             {5, 3, catalog::v1::UNIT_LEVEL_TOWNSHIP}}) {
      catalog_->Add(MakeUnit(id, parent, level));
    }
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(catalog_.get());
    server_ = builder.BuildAndStart();
    auth::ServiceIdentityConfig identity;
    identity.service_name = "opinion";
    identity.issuer = "gongkai-dev";
    identity.audience = "gongkai";
    identity.hs256_secret = kSecret;
    identity_ = *auth::NewServiceIdentity(identity, clock_);
    directory_ = NewRemoteUnitDirectory(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()),
        identity_.get(), clock_);
  }
  void TearDown() override { server_->Shutdown(); }

  FakeClock clock_{absl::FromUnixSeconds(1780000000)};
  std::unique_ptr<auth::Authenticator> verifier_;
  std::unique_ptr<FakeCatalog> catalog_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<auth::ServiceIdentity> identity_;
  std::unique_ptr<UnitDirectory> directory_;
};

TEST_F(UnitDirectoryTest, ReadsEveryPageAsTheServicePrincipal) {
  ASSERT_TRUE(directory_->Refresh().ok());
  absl::StatusOr<std::vector<Unit>> all = directory_->All();
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 5u);
  absl::StatusOr<Unit> county = directory_->Get(3);
  ASSERT_TRUE(county.ok());
  EXPECT_EQ(county->code, "U3");
  EXPECT_EQ(county->level, catalog::v1::UNIT_LEVEL_COUNTY);
}

TEST_F(UnitDirectoryTest, FirstLookupReadsTheCatalog) {
  absl::StatusOr<Unit> unit = directory_->Get(2);
  ASSERT_TRUE(unit.ok()) << unit.status();
  EXPECT_EQ(unit->parent_id, 1);
}

TEST_F(UnitDirectoryTest, AMissRereadsOncePerSecondThenSaysNotFound) {
  ASSERT_TRUE(directory_->Refresh().ok());
  catalog_->Add(MakeUnit(6, 1, catalog::v1::UNIT_LEVEL_DEPARTMENT));
  clock_.Advance(absl::Seconds(2));
  EXPECT_TRUE(directory_->Get(6).ok());  // created after the snapshot: found by a re-read
  const int calls = catalog_->calls();
  absl::StatusOr<Unit> missing = directory_->Get(99);  // within the second: no re-read
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("unit 99 does not exist"));
  EXPECT_EQ(catalog_->calls(), calls);
  clock_.Advance(absl::Seconds(2));
  EXPECT_EQ(directory_->Get(99).status().code(), absl::StatusCode::kNotFound);
  EXPECT_GT(catalog_->calls(), calls);
}

TEST_F(UnitDirectoryTest, UnavailableBeforeTheFirstReadThenKeepsTheLastSnapshot) {
  catalog_->SetDown(true);
  absl::StatusOr<Unit> unit = directory_->Get(1);
  EXPECT_EQ(unit.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(unit.status().message(), HasSubstr("reading units from the catalog"));
  catalog_->SetDown(false);
  ASSERT_TRUE(directory_->Refresh().ok());
  catalog_->SetDown(true);
  EXPECT_EQ(directory_->Refresh().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(directory_->Get(1).ok());
}

TEST_F(UnitDirectoryTest, ChildrenAndLineageFollowTheTree) {
  ASSERT_TRUE(directory_->Refresh().ok());
  EXPECT_THAT(*directory_->Children(3), ElementsAre(Field(&Unit::id, 4), Field(&Unit::id, 5)));
  EXPECT_THAT(*directory_->Lineage(5),
              ElementsAre(Field(&Unit::id, 5), Field(&Unit::id, 3), Field(&Unit::id, 1)));
}

TEST(FixedUnitDirectoryTest, AnswersFromItsUnits) {
  std::unique_ptr<UnitDirectory> directory =
      NewFixedUnitDirectory({Unit{7, "X", "Seven", catalog::v1::UNIT_LEVEL_CITY, 0}});
  EXPECT_EQ(directory->Get(7)->name, "Seven");
  EXPECT_EQ(directory->Get(8).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace gongkai::directory
