package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/secure"
)

// adapt turns an http.Handler into a Lambda handler for API Gateway proxy
// events, the shape Netlify gives Go functions.
func adapt(h http.Handler) func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		req, err := http.NewRequestWithContext(ctx, methodOf(ev), "/", nil)
		if err != nil {
			return badMethod(), nil
		}
		req.URL = &url.URL{Path: ev.Path, RawQuery: queryOf(ev).Encode()}
		req.RequestURI = req.URL.RequestURI()
		for k, v := range ev.Headers {
			req.Header.Set(k, v)
		}
		for k, vs := range ev.MultiValueHeaders {
			req.Header[http.CanonicalHeaderKey(k)] = vs
		}
		w := &recorder{header: http.Header{}, status: http.StatusOK}
		h.ServeHTTP(w, req)
		return w.response(), nil
	}
}

// badMethod answers an event whose method is not an HTTP method at all, so
// that no request can be made for the handler: in the handler's JSON style
// and with the security headers every answer of the function carries.
func badMethod() events.APIGatewayProxyResponse {
	w := &recorder{header: http.Header{}}
	secure.Set(w.header)
	w.header.Set("Allow", "GET, HEAD")
	w.header.Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(&search.BadRequest{Param: "method", Message: "the request's method is not valid HTTP: use GET"})
	return w.response()
}

func methodOf(ev events.APIGatewayProxyRequest) string {
	if ev.HTTPMethod == "" {
		return http.MethodGet
	}
	return ev.HTTPMethod
}

// queryOf prefers the multi-value parameters, which keep repeated filters
// (measure=a&measure=b); the single-value map keeps only one of each.
func queryOf(ev events.APIGatewayProxyRequest) url.Values {
	v := url.Values{}
	if len(ev.MultiValueQueryStringParameters) > 0 {
		for k, vs := range ev.MultiValueQueryStringParameters {
			v[k] = vs
		}
		return v
	}
	for k, s := range ev.QueryStringParameters {
		v.Set(k, s)
	}
	return v
}

// recorder is the response being built for one event.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   strings.Builder
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}

// response is the recorded answer as API Gateway takes it.
func (r *recorder) response() events.APIGatewayProxyResponse {
	res := events.APIGatewayProxyResponse{StatusCode: r.status, Body: r.body.String(),
		Headers: map[string]string{}, MultiValueHeaders: map[string][]string{}}
	for k, vs := range r.header {
		if len(vs) == 1 {
			res.Headers[k] = vs[0]
		} else {
			res.MultiValueHeaders[k] = vs
		}
	}
	return res
}
