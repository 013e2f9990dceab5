package httpengine

import (
	"net/http"
	"reflect"
	"testing"
)

// TestNewServerCopiesEveryExportedField fails when net/http grows a
// configuration field that newServer does not copy yet, so that a restart
// never silently drops configuration.
func TestNewServerCopiesEveryExportedField(t *testing.T) {
	tmpl := &http.Server{}
	v := reflect.ValueOf(tmpl).Elem()
	typ := v.Type()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		v.Field(i).Set(nonZero(t, f.Type))
	}

	e := New(tmpl)
	got := reflect.ValueOf(e.newServer()).Elem()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		if got.Field(i).IsZero() {
			t.Errorf("field %s: got zero; want the template's value", f.Name)
			continue
		}
		switch f.Type.Kind() {
		case reflect.Func, reflect.Map:
			// Not comparable; non-nil is what can be checked.
		case reflect.Pointer:
			// Configuration is copied into a fresh value, so that a run
			// cannot change the template; a logger is shared.
			if g, w := got.Field(i).Pointer() == v.Field(i).Pointer(), f.Name == "ErrorLog"; g != w {
				t.Errorf("field %s: shares the template's pointer = %v; want %v", f.Name, g, w)
			}
		default:
			if g, w := got.Field(i).Interface(), v.Field(i).Interface(); !reflect.DeepEqual(g, w) {
				t.Errorf("field %s: got %v; want %v", f.Name, g, w)
			}
		}
	}
}

// nonZero returns a non-zero value of type typ.
func nonZero(t *testing.T, typ reflect.Type) reflect.Value {
	t.Helper()
	v := reflect.New(typ).Elem()
	switch typ.Kind() {
	case reflect.String:
		v.SetString("127.0.0.1:0")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Func:
		v.Set(reflect.MakeFunc(typ, func([]reflect.Value) []reflect.Value {
			out := make([]reflect.Value, typ.NumOut())
			for i := range out {
				out[i] = reflect.Zero(typ.Out(i))
			}
			return out
		}))
	case reflect.Map:
		v.Set(reflect.MakeMap(typ))
	case reflect.Pointer:
		v.Set(reflect.New(typ.Elem()))
	case reflect.Interface:
		if typ != reflect.TypeFor[http.Handler]() {
			t.Fatalf("no non-zero value for interface %v: teach nonZero", typ)
		}
		v.Set(reflect.ValueOf(http.NewServeMux()))
	default:
		t.Fatalf("no non-zero value for %v: teach nonZero", typ)
	}
	return v
}

// TestNewServerReadsTemplateAtRun checks that a template changed after New
// configures the next run: the engine keeps a pointer, not a snapshot.
func TestNewServerReadsTemplateAtRun(t *testing.T) {
	tmpl := &http.Server{ReadTimeout: 1}
	e := New(tmpl)
	tmpl.ReadTimeout = 2
	if got, want := e.newServer().ReadTimeout, tmpl.ReadTimeout; got != want {
		t.Errorf("ReadTimeout = %v; want %v", got, want)
	}
}
