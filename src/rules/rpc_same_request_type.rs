use crate::engine::{Cx, MethodPair, Part};
use crate::rules::methods;

rule! {
    /// # What
    /// A method keeps its request type, compared by fully-qualified name. As in
    /// buf, message shapes are not compared: renaming the request message, or
    /// moving it to another package, is reported even when its fields are the
    /// same.
    ///
    /// # Why
    /// The server decodes every request as the new type. Requests that clients
    /// built from the old schema send are misread unless the two messages agree
    /// field by field, and code that builds requests stops compiling.
    ///
    /// # Example
    /// ```proto
    /// // old
    /// rpc GetOrder(GetOrderRequest) returns (Order);
    /// // new
    /// rpc GetOrder(FetchOrderRequest) returns (Order);
    /// ```
    ///
    /// # Fix
    /// Keep the old request type; evolve it by adding fields. If a different
    /// type is really needed, add a new method that takes it.
    RpcSameRequestType {
        id: "RPC_SAME_REQUEST_TYPE",
        levels: [File, Package, WireJson, Wire],
        affects: [NewReadersOfOldData, GeneratedCode],
        summary: "a method keeps its request type",
    }
    impl {
        fn check_method(&self, cx: &mut Cx, p: &MethodPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            if old.input_type == new.input_type {
                return;
            }
            let fix = methods::keep_method_type(cx, p, 2);
            cx.report(
                p.at(Part::Input),
                format!(
                    "method \"{}\" of service \"{}\" changed request type from \"{}\" to \"{}\"",
                    new.name, p.new_service.full_name, old.input_type, new.input_type
                ),
            )
            .suggest(fix);
        }
    }
}
