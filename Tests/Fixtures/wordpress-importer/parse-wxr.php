<?php
// Reads a WXR file with one of the WordPress Importer's own parsers and prints what it found as
// JSON: php parse-wxr.php FILE simplexml|xml|regex|xmlprocessor
//
// The parsers run outside WordPress, so the handful of core functions they call (translation,
// the error object, HTML escaping for debug output) are given their plain meaning here.

function __( $text, $domain = 'default' ) { return $text; }
function esc_html( $text ) { return htmlspecialchars( $text, ENT_QUOTES, 'UTF-8' ); }
function _doing_it_wrong( $function, $message, $version ) { fwrite( STDERR, "$function: $message\n" ); }
class WP_Error {
	public $code; public $message; public $data;
	public function __construct( $code = '', $message = '', $data = '' ) { $this->code = $code; $this->message = $message; $this->data = $data; }
	public function get_error_code() { return $this->code; }
	public function get_error_message() { return $this->message; }
	public function get_error_data() { return $this->data; }
}
function is_wp_error( $thing ) { return $thing instanceof WP_Error; }

if ( $argc !== 3 ) { fwrite( STDERR, "usage: php parse-wxr.php FILE simplexml|xml|regex|xmlprocessor\n" ); exit( 2 ); }
$parsers = array(
	'simplexml'    => 'WXR_Parser_SimpleXML',
	'xml'          => 'WXR_Parser_XML',
	'regex'        => 'WXR_Parser_Regex',
	'xmlprocessor' => 'WXR_Parser_XML_Processor',
);
if ( ! isset( $parsers[ $argv[2] ] ) ) { fwrite( STDERR, "unknown parser {$argv[2]}\n" ); exit( 2 ); }
if ( $argv[2] === 'xmlprocessor' ) { require_once __DIR__ . '/php-toolkit/load.php'; }
require_once __DIR__ . '/parsers/class-wxr-parser-' . ( $argv[2] === 'xmlprocessor' ? 'xml-processor' : $argv[2] ) . '.php';

$parser = new $parsers[ $argv[2] ]();
$result = $parser->parse( $argv[1] );
if ( is_wp_error( $result ) ) {
	fwrite( STDERR, $result->get_error_code() . ': ' . $result->get_error_message() . "\n" );
	exit( 1 );
}
echo json_encode( $result, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ), "\n";
