package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// adapt turns an http.Handler into a Lambda handler for API Gateway proxy
// events, the shape Netlify gives Go functions.
func adapt(h http.Handler) func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		req, err := http.NewRequestWithContext(ctx, methodOf(ev), "/", nil)
		if err != nil {
			return events.APIGatewayProxyResponse{StatusCode: http.StatusBadRequest, Body: "bad request"}, nil
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
		res := events.APIGatewayProxyResponse{StatusCode: w.status, Body: w.body.String(),
			Headers: map[string]string{}, MultiValueHeaders: map[string][]string{}}
		for k, vs := range w.header {
			if len(vs) == 1 {
				res.Headers[k] = vs[0]
			} else {
				res.MultiValueHeaders[k] = vs
			}
		}
		return res, nil
	}
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
