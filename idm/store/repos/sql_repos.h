// Factories of the portable-SQL repositories (one .cc per repository in this folder). Each
// repository is bound to the connection of one transaction (idm/store/sql_store.cc) and runs only
// the portable SQL described in idm/store/sql/connection.h, so the same code serves SQLite and
// PostgreSQL. Failures are those documented on the interfaces in idm/store/store.h.
//
// Thread-safety: a repository belongs to its transaction's thread.
#pragma once

#include <memory>

#include "idm/store/sql/connection.h"
#include "idm/store/store.h"

namespace idm::store::repos {

std::unique_ptr<RealmRepo> NewRealmRepo(sql::Connection& c);
std::unique_ptr<UserRepo> NewUserRepo(sql::Connection& c);
std::unique_ptr<GroupRepo> NewGroupRepo(sql::Connection& c);
std::unique_ptr<RoleRepo> NewRoleRepo(sql::Connection& c);
std::unique_ptr<ClientRepo> NewClientRepo(sql::Connection& c);
std::unique_ptr<KeyRepo> NewKeyRepo(sql::Connection& c);
std::unique_ptr<AuditRepo> NewAuditRepo(sql::Connection& c);
std::unique_ptr<MetaRepo> NewMetaRepo(sql::Connection& c);
std::unique_ptr<SessionRepo> NewSessionRepo(sql::Connection& c);
std::unique_ptr<LoginFlowRepo> NewLoginFlowRepo(sql::Connection& c);
std::unique_ptr<AuthorizationCodeRepo> NewAuthorizationCodeRepo(sql::Connection& c);
std::unique_ptr<RefreshTokenRepo> NewRefreshTokenRepo(sql::Connection& c);
std::unique_ptr<ConsentRepo> NewConsentRepo(sql::Connection& c);
std::unique_ptr<LoginFailureRepo> NewLoginFailureRepo(sql::Connection& c);
std::unique_ptr<JtiRepo> NewJtiRepo(sql::Connection& c);
std::unique_ptr<RegistrationRepo> NewRegistrationRepo(sql::Connection& c);
std::unique_ptr<CredentialRepo> NewCredentialRepo(sql::Connection& c);
std::unique_ptr<RecoveryCodeRepo> NewRecoveryCodeRepo(sql::Connection& c);
std::unique_ptr<WebAuthnRepo> NewWebAuthnRepo(sql::Connection& c);
std::unique_ptr<EmailCodeRepo> NewEmailCodeRepo(sql::Connection& c);
std::unique_ptr<SmtpSettingsRepo> NewSmtpSettingsRepo(sql::Connection& c);

}  // namespace idm::store::repos
