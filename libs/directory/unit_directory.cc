#include "libs/directory/unit_directory.h"

#include <map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gongkai/catalog/v1/catalog.grpc.pb.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_macros.h"

namespace gongkai::directory {
namespace {

// A miss re-reads the catalog at most this often, so a flood of unknown ids (a client
// bug, a scan) costs the catalog one ListUnits walk per second, not one per call.
constexpr absl::Duration kMinRereadOnMiss = absl::Seconds(1);
// The catalog's largest page (libs/pagination kMaxPageSize).
constexpr int kPageSize = 100;
// A walk that does not end (a catalog bug) is cut here rather than looping forever.
constexpr int kMaxPages = 10000;

using Snapshot = std::map<int64_t, Unit>;

absl::Status UnitNotFound(int64_t unit_id) {
  return absl::NotFoundError(absl::StrCat("unit ", unit_id, " does not exist"));
}

// Lookups in an immutable snapshot that is swapped whole, shared by both directories.
class SnapshotHolder {
 public:
  absl::StatusOr<std::shared_ptr<const Snapshot>> Current() const {
    absl::MutexLock lock(&mu_);
    if (snapshot_ == nullptr) {
      return absl::UnavailableError(
          absl::StrCat("the unit directory has not been read from the catalog yet",
                       last_error_.empty() ? "" : ": ", last_error_));
    }
    return snapshot_;
  }
  void Replace(std::shared_ptr<const Snapshot> snapshot) {
    absl::MutexLock lock(&mu_);
    snapshot_ = std::move(snapshot);
    last_error_.clear();
  }
  void RecordError(std::string error) {
    absl::MutexLock lock(&mu_);
    last_error_ = std::move(error);
  }

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const Snapshot> snapshot_ ABSL_GUARDED_BY(mu_);
  std::string last_error_ ABSL_GUARDED_BY(mu_);
};

std::vector<Unit> Values(const Snapshot& snapshot) {
  std::vector<Unit> units;
  units.reserve(snapshot.size());
  for (const auto& [id, unit] : snapshot) units.push_back(unit);
  return units;
}

class RemoteUnitDirectory final : public UnitDirectory {
 public:
  RemoteUnitDirectory(std::shared_ptr<grpc::Channel> catalog, auth::ServiceIdentity* identity,
                      const Clock& clock, absl::Duration call_timeout)
      : stub_(catalog::v1::CatalogService::NewStub(std::move(catalog))),
        identity_(identity),
        clock_(clock),
        call_timeout_(call_timeout) {}

  absl::StatusOr<Unit> Get(int64_t unit_id) override {
    absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot = holder_.Current();
    if (!snapshot.ok() || (*snapshot)->count(unit_id) == 0) {
      if (MayRereadOnMiss()) {
        if (absl::Status read = Refresh(); !read.ok() && !snapshot.ok()) return read;
      }
      ASSIGN_OR_RETURN(snapshot, holder_.Current());
    }
    auto it = (*snapshot)->find(unit_id);
    if (it == (*snapshot)->end()) return UnitNotFound(unit_id);
    return it->second;
  }

  absl::StatusOr<std::vector<Unit>> All() override {
    absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot = holder_.Current();
    if (!snapshot.ok() && MayRereadOnMiss()) {
      RETURN_IF_ERROR(Refresh());
      snapshot = holder_.Current();
    }
    if (!snapshot.ok()) return snapshot.status();
    return Values(**snapshot);
  }

  absl::Status Refresh() override {
    // One walk at a time: concurrent misses wait for it instead of each walking.
    absl::MutexLock walk(&walk_mu_);
    auto snapshot = std::make_shared<Snapshot>();
    std::string page_token;
    for (int page = 0; page < kMaxPages; ++page) {
      catalog::v1::ListUnitsRequest request;
      request.set_page_size(kPageSize);
      request.set_page_token(page_token);
      catalog::v1::ListUnitsResponse response;
      grpc::ClientContext context;
      RETURN_IF_ERROR(Failed(identity_->Prepare(context, call_timeout_)));
      RETURN_IF_ERROR(Failed(FromGrpcStatus(stub_->ListUnits(&context, request, &response))));
      for (const catalog::v1::Unit& unit : response.units()) {
        (*snapshot)[unit.id()] =
            Unit{unit.id(), unit.code(), unit.name(), unit.level(), unit.parent_id()};
      }
      page_token = response.next_page_token();
      if (page_token.empty()) {
        holder_.Replace(std::move(snapshot));
        return absl::OkStatus();
      }
    }
    return Failed(absl::InternalError("the catalog's unit list did not end"));
  }

 private:
  // Records why the directory could not be read (shown while it has no snapshot) and
  // passes the error on, naming where it came from.
  absl::Status Failed(absl::Status status) {
    if (status.ok()) return status;
    absl::Status named(status.code(),
                       absl::StrCat("reading units from the catalog: ", status.message()));
    holder_.RecordError(std::string(named.message()));
    return named;
  }

  bool MayRereadOnMiss() {
    const absl::Time now = clock_.Now();
    absl::MutexLock lock(&miss_mu_);
    if (now < last_reread_ + kMinRereadOnMiss) return false;
    last_reread_ = now;
    return true;
  }

  std::unique_ptr<catalog::v1::CatalogService::Stub> stub_;
  auth::ServiceIdentity* identity_;
  const Clock& clock_;
  const absl::Duration call_timeout_;
  SnapshotHolder holder_;
  absl::Mutex walk_mu_;
  absl::Mutex miss_mu_;
  absl::Time last_reread_ ABSL_GUARDED_BY(miss_mu_) = absl::InfinitePast();
};

class FixedUnitDirectory final : public UnitDirectory {
 public:
  explicit FixedUnitDirectory(std::vector<Unit> units) {
    auto snapshot = std::make_shared<Snapshot>();
    for (Unit& unit : units) {
      const int64_t id = unit.id;
      (*snapshot)[id] = std::move(unit);
    }
    holder_.Replace(std::move(snapshot));
  }

  absl::StatusOr<Unit> Get(int64_t unit_id) override {
    ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snapshot, holder_.Current());
    auto it = snapshot->find(unit_id);
    if (it == snapshot->end()) return UnitNotFound(unit_id);
    return it->second;
  }
  absl::StatusOr<std::vector<Unit>> All() override {
    ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snapshot, holder_.Current());
    return Values(*snapshot);
  }
  absl::Status Refresh() override { return absl::OkStatus(); }

 private:
  SnapshotHolder holder_;
};

}  // namespace

absl::StatusOr<std::vector<Unit>> UnitDirectory::Children(int64_t parent_id) {
  ASSIGN_OR_RETURN(std::vector<Unit> units, All());
  std::vector<Unit> children;
  for (Unit& unit : units) {
    if (unit.parent_id == parent_id) children.push_back(std::move(unit));
  }
  return children;
}

absl::StatusOr<std::vector<Unit>> UnitDirectory::Lineage(int64_t unit_id) {
  std::vector<Unit> lineage;
  int64_t next = unit_id;
  // The catalog keeps the tree acyclic; the bound only guards against a broken one.
  for (int depth = 0; next != 0 && depth < 64; ++depth) {
    ASSIGN_OR_RETURN(Unit unit, Get(next));
    next = unit.parent_id;
    lineage.push_back(std::move(unit));
  }
  return lineage;
}

std::unique_ptr<UnitDirectory> NewRemoteUnitDirectory(std::shared_ptr<grpc::Channel> catalog,
                                                      auth::ServiceIdentity* identity,
                                                      const Clock& clock,
                                                      absl::Duration call_timeout) {
  return std::make_unique<RemoteUnitDirectory>(std::move(catalog), identity, clock, call_timeout);
}

std::unique_ptr<UnitDirectory> NewFixedUnitDirectory(std::vector<Unit> units) {
  return std::make_unique<FixedUnitDirectory>(std::move(units));
}

}  // namespace gongkai::directory
