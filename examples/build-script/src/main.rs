fn main() {
    println!("the schema in proto/ is compatible with proto.lock.binpb");
}
