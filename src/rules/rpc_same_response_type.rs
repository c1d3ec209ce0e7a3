use crate::engine::{Cx, MethodPair, Part};
use crate::rules::methods;

rule! {
    /// # What
    /// A method keeps its response type, compared by fully-qualified name. As
    /// in buf, message shapes are not compared: renaming the response message,
    /// or moving it to another package, is reported even when its fields are
    /// the same.
    ///
    /// # Why
    /// Clients built from the old schema decode every response as the old type.
    /// What the new server sends is misread unless the two messages agree field
    /// by field, and code that reads responses stops compiling.
    ///
    /// # Example
    /// ```proto
    /// // old
    /// rpc GetOrder(GetOrderRequest) returns (Order);
    /// // new
    /// rpc GetOrder(GetOrderRequest) returns (OrderView);
    /// ```
    ///
    /// # Fix
    /// Keep the old response type; evolve it by adding fields. If a different
    /// type is really needed, add a new method that returns it.
    RpcSameResponseType {
        id: "RPC_SAME_RESPONSE_TYPE",
        levels: [File, Package, WireJson, Wire],
        affects: [OldReadersOfNewData, GeneratedCode],
        summary: "a method keeps its response type",
    }
    impl {
        fn check_method(&self, cx: &mut Cx, p: &MethodPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            if old.output_type == new.output_type {
                return;
            }
            let fix = methods::keep_method_type(cx, p, 3);
            cx.report(
                p.at(Part::Output),
                format!(
                    "method \"{}\" of service \"{}\" changed response type from \"{}\" to \"{}\"",
                    new.name, p.new_service.full_name, old.output_type, new.output_type
                ),
            )
            .suggest(fix);
        }
    }
}
