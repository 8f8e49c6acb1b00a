import XCTVapor
final class T2: XCTestCase { func testX() {} }
