// Result<T, E>: a value or an error, the way every layer of idm reports expected failures
// (CONVENTIONS.md §5). A small stand-in for C++23 std::expected, which GCC 12 lacks in C++20 mode.
//
//   store::Result<User> r = tx.users().Get(realm, id);
//   if (!r) return r.error();          // propagate
//   const User& u = *r;
//
// Thread-safety: a value type; as safe as its contents.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace idm::core {

// Wraps an error so Result's constructors can tell it from a value when T and E are alike.
template <class E>
struct Unexpected {
  E error;
};
template <class E>
Unexpected<std::decay_t<E>> Err(E&& e) {
  return Unexpected<std::decay_t<E>>{std::forward<E>(e)};
}

template <class T, class E>
class [[nodiscard]] Result {
 public:
  Result(const T& v) : v_(std::in_place_index<0>, v) {}             // NOLINT: implicit by design
  Result(T&& v) : v_(std::in_place_index<0>, std::move(v)) {}        // NOLINT
  Result(const E& e) requires(!std::is_same_v<T, E>)                 // NOLINT
      : v_(std::in_place_index<1>, e) {}
  Result(E&& e) requires(!std::is_same_v<T, E>)                      // NOLINT
      : v_(std::in_place_index<1>, std::move(e)) {}
  template <class G>
  Result(Unexpected<G> u) : v_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  const E& error() const { assert(!ok()); return std::get<1>(v_); }
  E& error() { assert(!ok()); return std::get<1>(v_); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <class U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, E> v_;
};

// Result<void, E>: success or an error.
template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  Result(const E& e) : err_(e), ok_(false) {}                  // NOLINT
  Result(E&& e) : err_(std::move(e)), ok_(false) {}            // NOLINT
  template <class G>
  Result(Unexpected<G> u) : err_(std::move(u.error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const E& error() const { assert(!ok_); return err_; }
  E& error() { assert(!ok_); return err_; }

 private:
  E err_{};
  bool ok_ = true;
};

}  // namespace idm::core

// Propagates the error of a Result-returning expression; the enclosing function's return type
// must be constructible from that error.
#define IDM_TRY(expr)                         \
  do {                                        \
    auto idm_try_r_ = (expr);                 \
    if (!idm_try_r_) return idm_try_r_.error(); \
  } while (0)

// Evaluates a Result-returning expression, propagating its error or binding its value to lhs.
#define IDM_CONCAT_INNER_(a, b) a##b
#define IDM_CONCAT_(a, b) IDM_CONCAT_INNER_(a, b)
#define IDM_ASSIGN_OR_RETURN(lhs, expr) \
  IDM_ASSIGN_OR_RETURN_IMPL_(IDM_CONCAT_(idm_r_, __LINE__), lhs, expr)
#define IDM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp) return tmp.error();                    \
  lhs = std::move(tmp).value()
