from django.urls import path

from . import action_views, views

app_name = "pages"

urlpatterns = [
    path("", views.restaurant_list, name="restaurant_list"),
    path("<slug:slug>/", views.restaurant_page, name="restaurant"),
    path("<slug:slug>/live/", views.restaurant_live, name="restaurant_live"),
    path("<slug:slug>/connections/<int:connection_id>/publish/", views.publish_menu, name="publish_menu"),
    path("<slug:slug>/connections/<int:connection_id>/pause/", views.pause_one_channel, name="pause_channel"),
    path("<slug:slug>/connections/<int:connection_id>/resume/", views.resume_one_channel, name="resume_channel"),
    path("<slug:slug>/pause/", views.pause, name="pause"),
    path("<slug:slug>/resume/", views.resume, name="resume"),
    path("<slug:slug>/orders/<int:order_id>/<str:verb>/", action_views.order_action, name="order_action"),
    path("<slug:slug>/items/out-of-stock/", action_views.item_out_of_stock, name="item_out_of_stock"),
    path("<slug:slug>/items/back-on-sale/", action_views.item_back_on_sale, name="item_back_on_sale"),
    path("<slug:slug>/jobs/<int:job_id>/retry/", action_views.retry_job, name="retry_job"),
]
